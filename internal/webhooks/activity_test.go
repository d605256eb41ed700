package webhooks

import (
	"testing"

	"github.com/scoopa/webhooks/ent"
)

func TestActivityOf(t *testing.T) {
	gone := "receiver answered 410 Gone"
	for _, tc := range []struct {
		name       string
		wh         ent.Webhook
		hasFolders bool
		want       Activity
		why        string
	}{
		{"active with folders", ent.Webhook{Active: true}, true, ActivityActive, ""},
		{"active on all folders", ent.Webhook{Active: true, AllFolders: true}, false, ActivityActive, ""},
		{"active without folders", ent.Webhook{Active: true}, false, ActivityNoFolders, "no folders assigned"},
		{"new", ent.Webhook{}, false, ActivityNoFolders, "no folders assigned, and switched off"},
		{"switched off", ent.Webhook{AllFolders: true}, false, ActivityInactive, "switched off"},
		{"deactivated by the service", ent.Webhook{DisabledReason: &gone}, true, ActivityDisabled, "deactivated by the service: " + gone},
		{"deactivated, folders since removed", ent.Webhook{DisabledReason: &gone}, false, ActivityDisabled, "deactivated by the service: " + gone},
	} {
		if a, why := ActivityOf(&tc.wh, tc.hasFolders); a != tc.want || why != tc.why {
			t.Errorf("%s: %s (%q), want %s (%q)", tc.name, a, why, tc.want, tc.why)
		}
	}
}
