package deploy

import (
	"strings"

	"github.com/containersec/container-security/pkg/rules"
)

// changedRules names the rules whose items differ between two revisions' customRules; unknown when either
// revision's files cannot be read.
func changedRules(oldConfig, newConfig map[string]any) ([]string, bool) {
	a, err := customRules(oldConfig)
	if err != nil {
		return []string{}, true
	}
	b, err := customRules(newConfig)
	if err != nil {
		return []string{}, true
	}
	names, err := rules.ChangedRules(a, b)
	if err != nil {
		return []string{}, true
	}
	return names, false
}

// Actions of a revision, named as the deploy history shows them.
const (
	ActionDeploy            = "deploy"
	ActionRollback          = "rollback"
	ActionRecover           = "recover"
	ActionAutomaticRollback = "automatic rollback"
	ActionInstall           = "install"
	ActionUpgrade           = "upgrade"
	ActionOther             = "other"
)

// actionOf reads what made a revision from its description: ours (describe, guardPrefix) or Helm's own
// ("Install complete", "Upgrade complete", "Rollback to N": helm pkg/action install.go, upgrade.go, rollback.go).
func actionOf(desc string) string {
	switch {
	case strings.HasPrefix(desc, guardPrefix):
		return ActionAutomaticRollback
	case describedBy.MatchString(desc):
		rest := desc[describedBy.FindStringIndex(desc)[1]:]
		switch {
		case strings.HasPrefix(rest, "deployed custom rules"):
			return ActionDeploy
		case strings.HasPrefix(rest, "recovered "):
			return ActionRecover
		case strings.HasPrefix(rest, "rolled back to revision"), strings.HasPrefix(rest, "restored revision"):
			return ActionRollback
		}
	case strings.HasPrefix(desc, "Install complete"):
		return ActionInstall
	case strings.HasPrefix(desc, "Upgrade complete"):
		return ActionUpgrade
	case strings.HasPrefix(desc, "Rollback to "):
		return ActionRollback
	}
	return ActionOther
}
