package plugin

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"sync"

	"github.com/containersec/container-security/pkg/rules"
	"github.com/containersec/container-security/pkg/rules/catalog"
	falcorules "github.com/containersec/container-security/rules/falco"
)

// validateRequest is the body of POST /rules/validate.
type validateRequest struct {
	Files *[]rules.File `json:"files"`
	// Plugins are the plugins the target Falco loads; without it, the datasource's falcoPlugins setting.
	Plugins *[]string `json:"plugins"`
}

// rulesFileName is what the Falco chart accepts as a customRules key: it becomes a ConfigMap key.
var rulesFileName = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]*\.ya?ml$`)

const maxRulesFileName = 253 // a ConfigMap key's limit

// rulesFileProblem says what is wrong with a request's files, with the HTTP status that fits, or "" when they are fine.
func rulesFileProblem(files []rules.File) (int, string) {
	if len(files) == 0 {
		return http.StatusBadRequest, `"files" is empty: send at least one {"name", "content"} rules file`
	}
	if len(files) > rules.MaxFiles {
		return http.StatusRequestEntityTooLarge, fmt.Sprintf("%d files sent; at most %d are validated together", len(files), rules.MaxFiles)
	}
	seen := map[string]bool{}
	total := 0
	for i, f := range files {
		switch {
		case f.Name == "":
			return http.StatusBadRequest, fmt.Sprintf("file %d has no name", i+1)
		case len(f.Name) > maxRulesFileName:
			return http.StatusBadRequest, fmt.Sprintf("file %d: name is longer than %d characters", i+1, maxRulesFileName)
		case !rulesFileName.MatchString(f.Name):
			return http.StatusBadRequest, fmt.Sprintf("file name %q must be a plain file name (letters, digits, '.', '_', '-'; no path) ending in .yaml or .yml", f.Name)
		case seen[f.Name]:
			return http.StatusBadRequest, fmt.Sprintf("file name %q is used twice; each file needs its own name", f.Name)
		case len(f.Content) > rules.MaxFileBytes:
			return http.StatusRequestEntityTooLarge, fmt.Sprintf("file %q is %d bytes; a rules file may have at most %d", f.Name, len(f.Content), rules.MaxFileBytes)
		}
		seen[f.Name] = true
		total += len(f.Content)
	}
	if total > rules.MaxTotalBytes {
		return http.StatusRequestEntityTooLarge, fmt.Sprintf("the files add up to %d bytes; at most %d are validated together", total, rules.MaxTotalBytes)
	}
	return 0, ""
}

// handleValidateRules loads the files after the default ruleset, as the Falco chart does. Broken rules are a 200
// with their diagnostics (the request was fine, the rules are not); only an unusable request is a 4xx.
func (d *Datasource) handleValidateRules(w http.ResponseWriter, r *http.Request) {
	var req validateRequest
	if !decodeJSONBody(w, r, &req) {
		return
	}
	if req.Files == nil {
		writeError(w, http.StatusBadRequest, `request body has no "files": send {"files": [{"name": "custom_rules.yaml", "content": "..."}]}`)
		return
	}
	if status, problem := rulesFileProblem(*req.Files); problem != "" {
		writeError(w, status, problem)
		return
	}
	if req.Plugins != nil {
		plugins, problems := parseFalcoPlugins(*req.Plugins)
		if len(problems) > 0 {
			writeError(w, http.StatusBadRequest, strings.Join(problems, "; "))
			return
		}
		req.Plugins = &plugins
	}
	writeJSON(w, http.StatusOK, rules.Validate(*req.Files, d.rulesOptions(req.Plugins)))
}

// catalogView is what the editor needs for autocomplete: the catalog with the default ruleset's names at the top.
type catalogView struct {
	Fields          []catalog.Field    `json:"fields"`
	Operators       []catalog.Operator `json:"operators"`
	Modifiers       []string           `json:"modifiers"`
	Transformers    []string           `json:"transformers"`
	RHSTransformers []string           `json:"rhsTransformers"`
	Sources         []string           `json:"sources"`
	Macros          []string           `json:"macros"`
	Lists           []string           `json:"lists"`
	Rules           []string           `json:"rules"`
	// DefaultRuleset says which default ruleset validation loads first: its Falco release, the engine version it
	// requires and where it comes from.
	DefaultRuleset defaultRuleset `json:"defaultRuleset"`
}

type defaultRuleset struct {
	FalcoVersion  string `json:"falcoVersion"`
	EngineVersion string `json:"engineVersion"`
	Rules         string `json:"rules"`
}

// The catalog is embedded, so its JSON and ETag are computed once per process.
var catalogResponse = sync.OnceValues(func() ([]byte, string) {
	c := catalog.Get()
	b, err := json.Marshal(catalogView{
		Fields: c.Fields, Operators: c.Operators, Modifiers: c.Modifiers, Transformers: c.Transformers,
		RHSTransformers: c.RHSTransformers, Sources: c.Sources,
		Macros: c.Defaults.Macros, Lists: c.Defaults.Lists, Rules: c.Defaults.Rules,
		DefaultRuleset: defaultRuleset{FalcoVersion: c.Defaults.Facts.FalcoVersion, EngineVersion: c.Defaults.Facts.EngineVersion, Rules: c.Defaults.Facts.Rules},
	})
	if err != nil {
		panic("the embedded catalog cannot be encoded: " + err.Error())
	}
	sum := sha256.Sum256(b)
	return b, `"` + hex.EncodeToString(sum[:12]) + `"`
})

func (d *Datasource) handleRulesCatalog(w http.ResponseWriter, r *http.Request) {
	body, etag := catalogResponse()
	w.Header().Set("ETag", etag)
	// The catalog changes only with a plugin release; browsers may reuse it for a day and revalidate after.
	w.Header().Set("Cache-Control", "private, max-age=86400")
	if r.Header.Get("If-None-Match") == etag {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(body)
}

// handleLabRules serves the custom rules the app ships (rules/falco), for the editor's "load the lab rules".
func (d *Datasource) handleLabRules(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, http.StatusOK, map[string][]rules.File{"files": falcorules.Files()})
}
