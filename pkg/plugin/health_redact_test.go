package plugin

import (
	"context"
	"strings"
	"testing"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
)

func TestHealthShowsTheEventStorePathOnlyToAdmins(t *testing.T) {
	settings := sqliteSettings(t)
	d := newTestDatasourceWithToken(t, settings, "tok")
	path := d.settings.SQLitePath
	for role, wantPath := range map[string]bool{"Admin": true, "Editor": false, "Viewer": false, "": false} {
		req := &backend.CheckHealthRequest{}
		if role != "" {
			req.PluginContext.User = &backend.User{Login: "u", Role: role}
		}
		res, err := d.CheckHealth(context.Background(), req)
		if err != nil {
			t.Fatal(err)
		}
		for what, text := range map[string]string{"message": res.Message, "details": string(res.JSONDetails)} {
			if strings.Contains(text, path) != wantPath {
				t.Errorf("role %q: %s %q: path shown = %v, want %v", role, what, text, !wantPath, wantPath)
			}
		}
		if !strings.Contains(res.Message, "holds 0 events") {
			t.Errorf("role %q: the store's state must stay readable: %q", role, res.Message)
		}
	}
}
