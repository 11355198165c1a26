package deploy

import (
	"regexp"
	"strings"
)

// Credentials hide inside ordinary strings too: falco.yaml's http_output.url in the rules ConfigMap, a webhook URL in
// a Deployment's env, `--password=...` in args, a JSON blob in an annotation. scrub* replace every such value, in any
// string of any rendered object, with its fingerprint (redact.go), so a changed credential still shows as a change.

// secretKey says a map key, env var name or flag names a credential; secretKeyNotValue exempts keys that name where a
// credential is kept (secretName, secretKeyRef, tokenFile) rather than the credential itself.
var (
	secretKey         = regexp.MustCompile(`(?i)(pass(word|wd|phrase)?|pwd|secret|token|api[-_]?key|access[-_]?key|private[-_]?key|credential|auth(orization)?$|bearer|webhook[-_]?url|dsn|connection[-_]?string)`)
	secretKeyNotValue = regexp.MustCompile(`(?i)(name|names|ref|file|path|mode|enabled|keyref|secretkeyref|expiration|audience|type)$`)
	// scheme://userinfo@host: userinfo may itself hold a raw '@', so it runs to the last '@' before the path.
	urlUserinfo = regexp.MustCompile(`(?i)\b([a-z][a-z0-9+.\-]*://)([^\s/?#"'<>\\]+)@`)
	// key=value, key: value, "key": "value", key => value inside free text; the key must look like a credential.
	secretPair    = regexp.MustCompile(`(?i)([A-Za-z0-9_.\-]*(?:pass(?:word|wd|phrase)?|pwd|secret|token|api[-_]?key|access[-_]?key|private[-_]?key|credential|authorization|auth)[A-Za-z0-9_.\-]*)(["']?)(\s*(?:=>|[:=])\s*)(?:(?:Bearer|Basic|Token)\s+)?("[^"\n]*"|'[^'\n]*'|[^\s,;&"'}\]\)<>]+)`)
	alreadyHidden = regexp.MustCompile(`^["']?\(hidden [0-9a-f]{12}\)`)
)

// isSecretKey says a key names a credential value.
func isSecretKey(k string) bool {
	return secretKey.MatchString(k) && !secretKeyNotValue.MatchString(k)
}

// scrubString hides URL userinfo and credential-looking key/value pairs inside s, keeping everything else readable.
func scrubString(s string) string {
	if s == "" {
		return s
	}
	out := urlUserinfo.ReplaceAllStringFunc(s, func(m string) string {
		sub := urlUserinfo.FindStringSubmatch(m)
		return sub[1] + fingerprint(sub[2]) + "@"
	})
	return secretPair.ReplaceAllStringFunc(out, func(m string) string {
		sub := secretPair.FindStringSubmatch(m)
		key, quote, sep, val := sub[1], sub[2], sub[3], sub[4]
		bare := strings.Trim(val, `"'`)
		if !isSecretKey(key) || alreadyHidden.MatchString(val) || strings.HasPrefix(bare, "(hidden") || bare == "" || strings.HasPrefix(bare, "%") {
			return m
		}
		// Keep the scheme word (Bearer/Basic) and the value's quotes visible: only the credential is hidden.
		scheme := m[len(key)+len(quote)+len(sep) : len(m)-len(val)]
		q := ""
		if len(val) > 1 && (val[0] == '"' || val[0] == '\'') {
			q = val[:1]
		}
		return key + quote + sep + scheme + q + fingerprint(bare) + q
	})
}

// redactObject copies a rendered object with every credential replaced by a fingerprint: all data of a Secret,
// strings under credential-looking keys, env values whose name looks like a credential, the argument after a
// credential flag (`--password x`), and URL userinfo or key=value credentials inside any other string.
func redactObject(obj map[string]any) map[string]any {
	if kind, _ := obj["kind"].(string); kind == "Secret" {
		obj = redactSecret(obj)
	}
	out, _ := redactNode(obj).(map[string]any)
	return out
}

func redactNode(v any) any {
	switch t := v.(type) {
	case map[string]any:
		m := make(map[string]any, len(t))
		// An env entry {name: API_TOKEN, value: ...} names its credential in a sibling field.
		name, _ := t["name"].(string)
		envSecret := isSecretKey(name)
		for k, x := range t {
			if s, ok := x.(string); ok && (isSecretKey(k) || (k == "value" && envSecret)) && !alreadyHidden.MatchString(s) {
				m[k] = fingerprint(s)
				continue
			}
			m[k] = redactNode(x)
		}
		return m
	case []any:
		l := make([]any, len(t))
		hideNext := false
		for i, x := range t {
			s, isString := x.(string)
			switch {
			case hideNext && isString:
				l[i] = fingerprint(s)
				hideNext = false
				continue
			case isString && strings.HasPrefix(s, "-") && !strings.Contains(s, "=") && isSecretKey(strings.TrimLeft(s, "-")):
				// A flag like --api-key whose value is the next argument.
				hideNext = true
			}
			l[i] = redactNode(x)
		}
		return l
	case string:
		return scrubString(t)
	default:
		return v
	}
}

// Scrub hides credentials inside any text leaving the backend (error messages, log lines).
func Scrub(s string) string { return scrubString(s) }
