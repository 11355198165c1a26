package deploy

import (
	"strings"
	"testing"
)

func TestActionOfReadsOurDescriptionsAndHelms(t *testing.T) {
	for desc, want := range map[string]string{
		describe(`ad"min `+"\u00e9", "deployed custom rules", []string{"a.yaml"}):                ActionDeploy,
		describe("x", "rolled back to revision 3", nil):                                          ActionRollback,
		describe("x", "restored revision 3 after a failed change", nil):                          ActionRollback,
		describe("x", "recovered pending-upgrade revision 4 by rolling back to revision 3", nil): ActionRecover,
		guardPrefix + " revision 5":                                                              ActionAutomaticRollback,
		"Install complete":                                                                       ActionInstall,
		"Upgrade complete":                                                                       ActionUpgrade,
		"Rollback to 2":                                                                          ActionRollback,
		`Grafana user "deployed custom rules" by hand`:                                           ActionOther,
	} {
		if got := actionOf(desc); got != want {
			t.Errorf("actionOf(%q) = %q, want %q", desc, got, want)
		}
	}
}

func TestChangedRulesOfTwoRevisions(t *testing.T) {
	old := map[string]any{"customRules": map[string]any{"a.yaml": "- rule: R1\n  enabled: false\n"}}
	cur := map[string]any{"customRules": map[string]any{"a.yaml": "- rule: R1\n  enabled: false\n", "b.yaml": "- rule: R2\n  enabled: true\n"}}
	if got, unknown := changedRules(old, cur); unknown || strings.Join(got, ",") != "R2" {
		t.Fatalf("got %v unknown %v", got, unknown)
	}
	if got, unknown := changedRules(nil, old); unknown || strings.Join(got, ",") != "R1" {
		t.Fatalf("first revision: %v %v", got, unknown)
	}
	broken := map[string]any{"customRules": map[string]any{"a.yaml": "- rule: [x"}}
	if _, unknown := changedRules(old, broken); !unknown {
		t.Fatal("a file that cannot be read must make the rules unknown")
	}
}
