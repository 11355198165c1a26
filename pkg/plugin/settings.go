package plugin

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"strings"

	"github.com/grafana/grafana-plugin-sdk-go/backend"

	"github.com/containersec/container-security/pkg/events"
	"github.com/containersec/container-security/pkg/events/sqlitestore"
)

// Event store kinds a user can choose on the datasource config page.
const (
	StoreSQLite = "sqlite"
	StoreLoki   = "loki"
)

const (
	defaultRetentionDays = 14
	maxRetentionDays     = 3650
	defaultMaxStoreMB    = 1024
	maxMaxStoreMB        = 1 << 20 // 1 TiB
)

// Settings is the parsed, validated configuration of one Falco datasource.
type Settings struct {
	EventStore    string `json:"eventStore"`
	SQLitePath    string `json:"sqlitePath,omitempty"`
	LokiURL       string `json:"lokiUrl,omitempty"`
	RetentionDays int    `json:"retentionDays"`
	MaxStoreMB    int    `json:"maxStoreMB"`
	// DefaultCluster names the cluster of events whose output_fields do not carry ClusterField.
	DefaultCluster string `json:"defaultCluster,omitempty"`
	ClusterField   string `json:"clusterField,omitempty"`
	// IngestToken authenticates falcosidekick's webhook; it lives in secureJsonData only.
	IngestToken string `json:"-"`
	// Deploy is how rules reach the cluster (issue 10); its problems never break the event store.
	Deploy DeploySettings `json:"-"`
	// FalcoPlugins are the plugins the user's Falco loads (load_plugins), for the rules checker.
	FalcoPlugins []string `json:"falcoPlugins,omitempty"`
}

// parseOptions is what event parsing needs from the settings.
func (s Settings) parseOptions() events.Options {
	return events.Options{DefaultCluster: s.DefaultCluster, ClusterField: s.ClusterField}
}

// SettingsError lists every problem with the saved settings, each phrased so the user knows what to change.
type SettingsError struct {
	Problems []string
}

func (e *SettingsError) Error() string {
	return "invalid datasource settings: " + strings.Join(e.Problems, "; ")
}

// jsonData mirrors what the config page saves; pointers tell "not set" from zero.
type jsonData struct {
	EventStore     string   `json:"eventStore"`
	SQLitePath     string   `json:"sqlitePath"`
	LokiURL        string   `json:"lokiUrl"`
	RetentionDays  *int     `json:"retentionDays"`
	MaxStoreMB     *int     `json:"maxStoreMB"`
	DefaultCluster string   `json:"defaultCluster"`
	ClusterField   string   `json:"clusterField"`
	FalcoPlugins   []string `json:"falcoPlugins"`
	deployJSON
}

// ParseSettings reads jsonData and secureJsonData, fills defaults and reports every invalid value at once.
func ParseSettings(s backend.DataSourceInstanceSettings) (Settings, error) {
	var raw jsonData
	if len(s.JSONData) > 0 && string(s.JSONData) != "null" {
		if err := json.Unmarshal(s.JSONData, &raw); err != nil {
			return Settings{}, &SettingsError{Problems: []string{fmt.Sprintf("jsonData is not a valid settings object: %v", err)}}
		}
	}

	out := Settings{
		EventStore:     strings.ToLower(strings.TrimSpace(raw.EventStore)),
		SQLitePath:     strings.TrimSpace(raw.SQLitePath),
		LokiURL:        strings.TrimSpace(raw.LokiURL),
		RetentionDays:  defaultRetentionDays,
		MaxStoreMB:     defaultMaxStoreMB,
		DefaultCluster: strings.TrimSpace(raw.DefaultCluster),
		ClusterField:   strings.TrimSpace(raw.ClusterField),
		IngestToken:    s.DecryptedSecureJSONData["ingestToken"],
	}
	out.Deploy = parseDeploySettings(raw.deployJSON, s.DecryptedSecureJSONData)
	if out.EventStore == "" {
		out.EventStore = StoreSQLite
	}
	if raw.RetentionDays != nil {
		out.RetentionDays = *raw.RetentionDays
	}
	if raw.MaxStoreMB != nil {
		out.MaxStoreMB = *raw.MaxStoreMB
	}

	var problems []string
	out.FalcoPlugins, problems = parseFalcoPlugins(raw.FalcoPlugins)
	switch out.EventStore {
	case StoreSQLite:
		// No default path: Grafana >= 12.4 passes no host environment variables (GF_PATHS_DATA) to plugins, and a
		// [plugin.<id>] grafana.ini section reaches a plugin only as GF_PLUGIN_* environment variables
		// (pluginconfig/envvars.go), which the plugin validator flags; the path is part of the datasource's settings.
		if err := sqlitestore.CheckPath(out.SQLitePath); err != nil {
			problems = append(problems, err.Error())
		}
	case StoreLoki:
		out.LokiURL = withoutPassword(out.LokiURL)
		if p := checkLokiURL(raw.LokiURL, out.LokiURL); p != "" {
			problems = append(problems, p)
		}
	default:
		problems = append(problems, fmt.Sprintf("event store %q is not supported: choose %q or %q", raw.EventStore, StoreSQLite, StoreLoki))
	}
	if out.RetentionDays < 1 || out.RetentionDays > maxRetentionDays {
		problems = append(problems, fmt.Sprintf("retention must be between 1 and %d days, got %d", maxRetentionDays, out.RetentionDays))
	}
	if out.MaxStoreMB < 1 || out.MaxStoreMB > maxMaxStoreMB {
		problems = append(problems, fmt.Sprintf("maximum store size must be between 1 and %d MB, got %d", maxMaxStoreMB, out.MaxStoreMB))
	}
	if len(problems) > 0 {
		return out, &SettingsError{Problems: problems}
	}
	return out, nil
}

// checkLokiURL names what is wrong with raw, quoting only shown (raw without its password): problems reach the
// browser, CheckHealth and the server log.
func checkLokiURL(raw, shown string) string {
	if raw == "" {
		return "Loki is selected as the event store but no Loki URL is set (for example http://loki:3100)"
	}
	u, err := url.Parse(raw)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err // url.Error repeats the whole URL, password included
		}
		return fmt.Sprintf("Loki URL %q is not a valid URL: %v", shown, err)
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return fmt.Sprintf("Loki URL %q must start with http:// or https://", shown)
	}
	if u.Host == "" {
		return fmt.Sprintf("Loki URL %q has no host", shown)
	}
	if u.User != nil {
		return fmt.Sprintf("Loki URL %q must not contain credentials: put them in the datasource's secure settings", shown)
	}
	return ""
}

// withoutPassword masks the userinfo of a URL, even one url.Parse rejects, so a pasted password is never echoed.
func withoutPassword(raw string) string {
	if !strings.Contains(raw, "@") {
		return raw
	}
	if u, err := url.Parse(raw); err == nil && u.User != nil {
		u.User = url.User("xxxxx")
		return u.String()
	}
	rest := raw
	prefix := ""
	if i := strings.Index(raw, "://"); i >= 0 {
		prefix, rest = raw[:i+3], raw[i+3:]
	}
	if at := strings.LastIndex(rest, "@"); at >= 0 {
		return prefix + "xxxxx" + rest[at:]
	}
	return raw
}

// asSettingsError returns the problems of a settings error, or the error text.
func asSettingsError(err error) []string {
	var se *SettingsError
	if errors.As(err, &se) {
		return se.Problems
	}
	return []string{err.Error()}
}
