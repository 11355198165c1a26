package plugin

import (
	"encoding/json"
	"strings"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
)

// serverPathWord stands for the event store's file path in what a user who is not an org Admin reads.
const serverPathWord = "(the configured event store file)"

// redactServerPath keeps the server's file layout to Admins: any user who can query the datasource can run its health
// check (the Overview shows it to every viewer), and the path is a fact about the server, not about the events.
func redactServerPath(res *backend.CheckHealthResult, user *backend.User, path string) *backend.CheckHealthResult {
	if path == "" || (user != nil && user.Role == grafanaAdmin) {
		return res
	}
	res.Message = strings.ReplaceAll(res.Message, path, serverPathWord)
	// The details were written by json.Marshal: the path is in them as json.Marshal escapes it.
	quoted, err := json.Marshal(path)
	if err == nil {
		inner := strings.TrimSuffix(strings.TrimPrefix(string(quoted), `"`), `"`)
		res.JSONDetails = []byte(strings.ReplaceAll(string(res.JSONDetails), inner, serverPathWord))
	}
	return res
}
