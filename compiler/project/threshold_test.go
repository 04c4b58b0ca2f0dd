package project

import "testing"

func TestThresholds(t *testing.T) {
	for _, tt := range []struct {
		in         string
		str        string
		holds, not []float64
	}{
		{"!=0", "!= 0", []float64{1, 5}, []float64{0}},
		{"<> 0", "<> 0", []float64{2}, []float64{0}},
		{">10", "> 10", []float64{11}, []float64{10, 0}},
		{" >= 10 ", ">= 10", []float64{10}, []float64{9}},
		{"<3", "< 3", []float64{2}, []float64{3}},
		{"<=3", "<= 3", []float64{3}, []float64{4}},
		{"=1", "= 1", []float64{1}, []float64{0}},
		{"==2.5", "== 2.5", []float64{2.5}, []float64{2}},
	} {
		th, err := ParseThreshold(tt.in)
		if err != nil {
			t.Errorf("%q: %v", tt.in, err)
			continue
		}
		if th.String() != tt.str {
			t.Errorf("%q prints %q, want %q", tt.in, th, tt.str)
		}
		for _, x := range tt.holds {
			if !th.Holds(x) {
				t.Errorf("%q must hold for %v", tt.in, x)
			}
		}
		for _, x := range tt.not {
			if th.Holds(x) {
				t.Errorf("%q must not hold for %v", tt.in, x)
			}
		}
	}
	for _, bad := range []string{"", "10", "> ten", "~ 3", "!="} {
		if _, err := ParseThreshold(bad); err == nil {
			t.Errorf("%q must be refused", bad)
		}
	}
}

func TestTestConfigKeys(t *testing.T) {
	c := NewConfig()
	for _, s := range []Setting{{Key: "warn_if", Value: ">10"}, {Key: "error_if", Value: ">100"}, {Key: "fail_calc", Value: "sum(n)"}, {Key: "limit", Value: int64(5)}} {
		if err := c.Apply(s.Key, s.Value); err != nil {
			t.Fatalf("%s: %v", s.Key, err)
		}
	}
	if *c.WarnIf != (Threshold{">", 10}) || *c.ErrorIf != (Threshold{">", 100}) || c.FailCalc != "sum(n)" || c.Limit != 5 {
		t.Errorf("config = %+v", c)
	}
	for key, value := range map[string]any{"warn_if": "lots", "error_if": 3, "limit": "ten", "fail_calc": []any{"x"}} {
		if err := c.Apply(key, value); err == nil {
			t.Errorf("%s: %v must be refused", key, value)
		}
	}
}
