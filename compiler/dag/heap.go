package dag

// MinHeap is a binary min-heap of ints: popping yields the smallest. The
// graph orders nodes with it (the smallest index is the node added
// earliest) and the scheduler its ready nodes (the smallest run position).
type MinHeap struct {
	items []int
}

// Len is the number of items.
func (h *MinHeap) Len() int {
	return len(h.items)
}

// Push adds x.
func (h *MinHeap) Push(x int) {
	h.items = append(h.items, x)
	i := len(h.items) - 1
	for i > 0 {
		parent := (i - 1) / 2
		if h.items[parent] <= x {
			break
		}
		h.items[i] = h.items[parent]
		i = parent
	}
	h.items[i] = x
}

// Pop removes and returns the smallest item; the heap must not be empty.
func (h *MinHeap) Pop() int {
	top := h.items[0]
	last := len(h.items) - 1
	x := h.items[last]
	h.items = h.items[:last]
	if last == 0 {
		return top
	}
	i := 0
	for {
		child := 2*i + 1
		if child >= last {
			break
		}
		if child+1 < last && h.items[child+1] < h.items[child] {
			child++
		}
		if x <= h.items[child] {
			break
		}
		h.items[i] = h.items[child]
		i = child
	}
	h.items[i] = x
	return top
}
