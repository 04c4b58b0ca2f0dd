package materialize

import (
	"errors"
	"fmt"
	"strings"
)

// ContractError is the failure of an enforced contract: every way the
// model's columns differ from the columns its properties declare.
type ContractError struct {
	// Differences are "missing column x", "extra column y", "column z has
	// type VARCHAR, contract says integer" and "column w has no data_type
	// in the contract", in that order.
	Differences []string
}

// Error returns the differences in one line.
func (e *ContractError) Error() string {
	return "the model does not satisfy its enforced contract: " + strings.Join(e.Differences, "; ")
}

// checkContract compares the model's columns with r's enforced contract, if
// any: names whatever their order, and types once normalized (see
// sameType). It returns a *ContractError naming every difference.
func checkContract(r Request) error {
	if r.Contract == nil {
		return nil
	}
	if r.ModelColumns == nil {
		return errors.New("an enforced contract is checked against the model's columns, which were not described")
	}
	var missing, extra, types, untyped []string
	for _, want := range r.Contract {
		i := findColumn(r.Adapter, r.ModelColumns, want.Name)
		switch {
		case i < 0:
			missing = append(missing, "missing column "+want.Name)
		case want.Type == "":
			untyped = append(untyped, fmt.Sprintf("column %s has no data_type in the contract", want.Name))
		case !sameType(r.Adapter, r.ModelColumns[i].Type, want.Type):
			types = append(types, fmt.Sprintf("column %s has type %s, contract says %s", want.Name, r.ModelColumns[i].Type, want.Type))
		}
	}
	for _, got := range r.ModelColumns {
		if findColumn(r.Adapter, r.Contract, got.Name) < 0 {
			extra = append(extra, "extra column "+got.Name)
		}
	}
	diffs := append(append(append(missing, extra...), types...), untyped...)
	if len(diffs) == 0 {
		return nil
	}
	return &ContractError{Differences: diffs}
}
