package webhooks

import "github.com/scoopa/webhooks/ent"

// Activity is whether new files call a webhook now and, if not, why. The
// stored active flag is what an admin chose; a webhook also needs folders
// (or all folders) to be called, as the dispatch's match requires
// (store.Store.StoreFile).
type Activity string

// The activities of a webhook, the first that applies in this order:
// deactivated by the service, no folders, switched off, active.
const (
	ActivityActive    Activity = "ACTIVE"
	ActivityNoFolders Activity = "NO_FOLDERS"
	ActivityInactive  Activity = "INACTIVE"
	ActivityDisabled  Activity = "DISABLED"
)

// ActivityOf returns wh's activity and, unless it is active, why not in a
// few words. hasFolders tells whether any folder is assigned to wh.
func ActivityOf(wh *ent.Webhook, hasFolders bool) (Activity, string) {
	switch {
	case !wh.Active && wh.DisabledReason != nil:
		return ActivityDisabled, "deactivated by the service: " + *wh.DisabledReason
	case !wh.AllFolders && !hasFolders && wh.Active:
		return ActivityNoFolders, "no folders assigned"
	case !wh.AllFolders && !hasFolders:
		return ActivityNoFolders, "no folders assigned, and switched off"
	case !wh.Active:
		return ActivityInactive, "switched off"
	}
	return ActivityActive, ""
}
