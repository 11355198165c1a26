package deploy

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
)

// Plans go to every Grafana user who may open the rules page, but Helm values and rendered Secrets carry credentials
// (falcosidekick's outputs take webhook URLs, tokens and passwords as values). So a plan shows string values outside
// customRules and the data of Secrets only as a keyed fingerprint: equal values look equal, a changed value looks
// changed, and the key (random per process) keeps a fingerprint from being guessed offline.
var redactKey = func() []byte {
	k := make([]byte, 32)
	_, _ = rand.Read(k)
	return k
}()

func fingerprint(v any) string {
	b, _ := json.Marshal(v)
	mac := hmac.New(sha256.New, redactKey)
	mac.Write(b)
	return "(hidden " + hex.EncodeToString(mac.Sum(nil))[:12] + ")"
}

// redactValues copies user values with every string outside the top-level customRules replaced by its fingerprint;
// booleans and numbers (enabled flags, ports, replicas) stay readable.
func redactValues(config map[string]any) map[string]any {
	out := make(map[string]any, len(config))
	for k, v := range config {
		if k == "customRules" {
			out[k] = v
			continue
		}
		out[k] = redactLeaves(v)
	}
	return out
}

func redactLeaves(v any) any {
	switch t := v.(type) {
	case map[string]any:
		m := make(map[string]any, len(t))
		for k, x := range t {
			m[k] = redactLeaves(x)
		}
		return m
	case []any:
		l := make([]any, len(t))
		for i, x := range t {
			l[i] = redactLeaves(x)
		}
		return l
	case string:
		return fingerprint(t)
	default:
		return v
	}
}

// redactSecret copies a rendered Secret with its data and stringData values replaced by fingerprints.
func redactSecret(obj map[string]any) map[string]any {
	out := make(map[string]any, len(obj))
	for k, v := range obj {
		if (k == "data" || k == "stringData") && v != nil {
			if m, ok := v.(map[string]any); ok {
				r := make(map[string]any, len(m))
				for dk, dv := range m {
					r[dk] = fingerprint(dv)
				}
				out[k] = r
				continue
			}
		}
		out[k] = v
	}
	return out
}
