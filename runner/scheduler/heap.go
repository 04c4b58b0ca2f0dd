package scheduler

// positionHeap is a binary min-heap of run positions; popping yields the
// ready node that comes earliest in the run's node list.
type positionHeap struct {
	items []int
}

func (h *positionHeap) len() int {
	return len(h.items)
}

func (h *positionHeap) push(x int) {
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

func (h *positionHeap) pop() int {
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
