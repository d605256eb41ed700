package calllog_test

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/scoopa/webhooks/internal/calllog"
	"github.com/scoopa/webhooks/internal/problem"
)

func decode(t *testing.T, s string) any {
	t.Helper()
	var v any
	if err := json.Unmarshal([]byte(s), &v); err != nil {
		t.Fatal(err)
	}
	return v
}

// MeasureFilter counts levels, conditions and their cost as /graphql's cost
// model does, and stops below the depth limit however deep the input goes.
func TestMeasureFilter(t *testing.T) {
	for _, tc := range []struct {
		name, where string
		want        calllog.FilterSize
	}{
		{"none", `null`, calllog.FilterSize{}},
		{"one condition", `{"kind": "DELIVERY"}`, calllog.FilterSize{Depth: 1, Conditions: 1, Cost: 10}},
		{"substring and list", `{"fileNameContains": "a", "statusIn": ["FAILED", "CANCELED"]}`, calllog.FilterSize{Depth: 1, Conditions: 2, Cost: 210, LongestList: 2}},
		{"not", `{"not": {"not": {"kind": "DELIVERY"}}}`, calllog.FilterSize{Depth: 3, Conditions: 1, Cost: 10}},
		{"or", `{"or": [{"kind": "DELIVERY"}, {"and": [{"fileNameHasPrefix": "x"}]}]}`, calllog.FilterSize{Depth: 3, Conditions: 2, Cost: 210, LongestList: 2}},
		{"edge", `{"hasWebhookWith": [{"nameEqualFold": "a"}]}`, calllog.FilterSize{Depth: 2, Conditions: 2, Cost: 250, LongestList: 1}},
		{"8000 levels", strings.Repeat(`{"not": `, 7999) + `{}` + strings.Repeat(`}`, 7999), calllog.FilterSize{Depth: calllog.MaxFilterDepth + 2}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := calllog.MeasureFilter(decode(t, tc.where)); got != tc.want {
				t.Errorf("MeasureFilter = %+v, want %+v", got, tc.want)
			}
		})
	}
}

// CheckFilter names the field and the limit it refuses.
func TestCheckFilter(t *testing.T) {
	deep := strings.Repeat(`{"not": `, 32) + `{}` + strings.Repeat(`}`, 32)
	wide := `{"or": [` + strings.Repeat(`{"fileNameContains": "x"}, `, 25) + `{}]}`
	for _, tc := range []struct{ name, where, want string }{
		{"32 levels", strings.Repeat(`{"not": `, 31) + `{}` + strings.Repeat(`}`, 31), ""},
		{"33 levels", deep, "where: the filter nests more than 32 levels deep (not, and, or, has…With); the limit is 32 levels"},
		{"costly", wide, "where: the filter's 25 conditions cost 5000"},
		{"long list", `{"idIn": [` + strings.Repeat(`1, `, 1000) + `1]}`, "where: a list of 1001 items; the limit is 1000 items per list"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := calllog.CheckFilter("where", decode(t, tc.where), 4999)
			if tc.want == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			if !errors.Is(err, problem.ErrInvalidInput) || !strings.HasPrefix(err.Error(), tc.want) {
				t.Errorf("CheckFilter: %v, want an input error starting %q", err, tc.want)
			}
		})
	}
}
