package deploy

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"strings"
	"sync"
	"time"

	"helm.sh/helm/v4/pkg/chart/loader/archive"
	chart "helm.sh/helm/v4/pkg/chart/v2"
	"helm.sh/helm/v4/pkg/chart/v2/loader"
	"helm.sh/helm/v4/pkg/getter"
	"helm.sh/helm/v4/pkg/registry"
	repo "helm.sh/helm/v4/pkg/repo/v1"
	"sigs.k8s.io/yaml"
)

// Chart sources a datasource can be configured with.
const (
	ChartSourceRepository = "repository"
	ChartSourceOCI        = "oci"
	ChartSourceNone       = "none"
)

// MaxChartBytes bounds a downloaded chart archive (the Falco chart with its subcharts packs to well under 1 MiB).
const MaxChartBytes = 20 << 20

// MaxIndexBytes bounds a chart repository's index.yaml (falcosecurity's is a few MiB).
const MaxIndexBytes = 64 << 20

// IndexTTL is how long a repository index read once answers which digest a chart version has: within it a plan
// downloads nothing; after it the index is read again, and a changed digest downloads the chart again.
const IndexTTL = 5 * time.Minute

// ChartSource is where the full Falco chart is fetched from at the deployed version.
type ChartSource struct {
	Kind          string
	RepositoryURL string
	OCIRef        string
	Username      string
	Password      string
	// Timeout bounds each request to the chart repository or registry (Helm's getters default to none for OCI and
	// 2 minutes for HTTP).
	Timeout time.Duration
}

// ChartLoader returns the complete Falco chart (with its subcharts) at a version.
//
// A Helm release stores its chart without the subcharts' bodies (chart.Chart keeps dependencies in an unexported
// field that is not serialised), so an upgrade with the stored chart would delete every enabled subchart's objects.
type ChartLoader interface {
	Load(ctx context.Context, version string) (*chart.Chart, error)
}

// ChartLoaderFunc adapts a function (tests load the chart from ../shared/corpus).
type ChartLoaderFunc func(ctx context.Context, version string) (*chart.Chart, error)

func (f ChartLoaderFunc) Load(ctx context.Context, version string) (*chart.Chart, error) {
	return f(ctx, version)
}

// CachingChartLoader fetches from a classic chart repository (index.yaml) or an OCI registry with Helm's getters,
// entirely in memory, and keeps each archive it verified by name, version and digest.
type CachingChartLoader struct {
	src ChartSource
	// getters are Helm's HTTP(S) and OCI getters; tests count their downloads.
	getters getter.Providers

	mu     sync.Mutex
	index  map[string]*repo.ChartVersion // version -> entry of the last index read
	readAt time.Time
	// archives holds the files of each verified archive by "name version digest"; a chart is loaded from them for
	// every use, because Helm's upgrade edits the chart it is given (chartutil.ProcessDependencies drops disabled
	// subcharts), so a loaded chart is never shared.
	archives map[string][]*archive.BufferedFile
	// Downloads counts chart archives fetched from the source (not index reads).
	Downloads int
}

// NewChartLoader builds the loader for a chart source; the cache lives as long as the loader (one datasource).
func NewChartLoader(src ChartSource) *CachingChartLoader {
	return &CachingChartLoader{src: src, getters: getter.Getters(), archives: map[string][]*archive.BufferedFile{}}
}

// Load returns the chart at version, from the cache when the source still names the same digest.
func (l *CachingChartLoader) Load(_ context.Context, version string) (*chart.Chart, error) {
	switch l.src.Kind {
	case ChartSourceRepository:
		return l.fromRepository(version)
	case ChartSourceOCI:
		return l.fromOCI(version)
	default:
		return nil, errorf(CodeChartUnavailable, nil,
			"no chart source is configured: the deployed chart %s %s must be fetched complete with its subcharts; set the datasource's chart source to the Falco chart repository (https://falcosecurity.github.io/charts) or an OCI reference",
			ChartName, version)
	}
}

func (l *CachingChartLoader) getterOptions() []getter.Option {
	opts := []getter.Option{getter.WithURL(l.src.RepositoryURL), getter.WithTimeout(l.src.Timeout)}
	if l.src.Username != "" {
		opts = append(opts, getter.WithBasicAuth(l.src.Username, l.src.Password))
	}
	return opts
}

func (l *CachingChartLoader) fromRepository(version string) (*chart.Chart, error) {
	src := l.src
	if src.RepositoryURL == "" {
		return nil, errorf(CodeChartUnavailable, nil, "the chart repository URL is empty: set it in the datasource settings")
	}
	cv, err := l.repositoryEntry(version)
	if err != nil {
		return nil, err
	}
	key := ChartName + " " + version + " " + cv.Digest
	if ch, ok := l.cached(key); ok {
		return ch, nil
	}
	if len(cv.URLs) == 0 {
		return nil, errorf(CodeChartUnavailable, nil, "chart repository %s lists %s %s without a download URL", src.RepositoryURL, ChartName, version)
	}
	u, err := repo.ResolveReferenceURL(src.RepositoryURL, cv.URLs[0])
	if err != nil {
		return nil, errorf(CodeChartUnavailable, err, "chart repository %s: bad chart URL %q: %v", src.RepositoryURL, cv.URLs[0], err)
	}
	g, err := l.getters.ByScheme(schemeOf(u))
	if err != nil {
		return nil, errorf(CodeChartUnavailable, err, "cannot download %s: %v", u, err)
	}
	buf, err := g.Get(u, l.getterOptions()...)
	if err != nil {
		return nil, errorf(CodeChartUnavailable, err, "cannot download %s %s from %s%s: %v", ChartName, version, u, noAnswer(err, src.Timeout), err)
	}
	// The index's digest is the archive's SHA-256 (repo.IndexDirectory → provenance.DigestFile): verify before caching.
	if cv.Digest != "" {
		if got := sha256Hex(buf.Bytes()); got != cv.Digest {
			return nil, errorf(CodeChartUnavailable, nil, "the chart archive at %s has SHA-256 %s, not the digest %s its repository index lists: refusing it", u, got, cv.Digest)
		}
	}
	return l.store(key, buf, u)
}

// repositoryEntry reads the repository index (in memory, at most once per IndexTTL) and returns the chart version.
func (l *CachingChartLoader) repositoryEntry(version string) (*repo.ChartVersion, error) {
	src := l.src
	l.mu.Lock()
	if l.index != nil && time.Since(l.readAt) < IndexTTL {
		cv, ok := l.index[version]
		l.mu.Unlock()
		if ok {
			return cv, nil
		}
		return nil, notServed(src.RepositoryURL, version)
	}
	l.mu.Unlock()
	// What repo.ChartRepository.DownloadIndexFile fetches (ResolveReferenceURL(url, "index.yaml")), without writing
	// it to a cache directory.
	indexURL, err := repo.ResolveReferenceURL(src.RepositoryURL, "index.yaml")
	if err != nil {
		return nil, errorf(CodeChartUnavailable, err, "chart repository URL %s: %v", src.RepositoryURL, err)
	}
	g, err := l.getters.ByScheme(schemeOf(indexURL))
	if err != nil {
		return nil, errorf(CodeChartUnavailable, err, "cannot read the chart repository index at %s: %v", src.RepositoryURL, err)
	}
	buf, err := g.Get(indexURL, l.getterOptions()...)
	if err != nil {
		return nil, errorf(CodeChartUnavailable, err, "cannot read the chart repository index at %s%s: %v", src.RepositoryURL, noAnswer(err, src.Timeout), err)
	}
	if buf.Len() > MaxIndexBytes {
		return nil, errorf(CodeChartUnavailable, nil, "the chart repository index at %s is %d bytes, more than the %d accepted", src.RepositoryURL, buf.Len(), MaxIndexBytes)
	}
	idx, err := parseIndex(buf.Bytes())
	if err != nil {
		return nil, errorf(CodeChartUnavailable, err, "the chart repository index at %s is not valid: %v", src.RepositoryURL, err)
	}
	versions := map[string]*repo.ChartVersion{}
	for _, cv := range idx.Entries[ChartName] {
		if cv != nil && cv.Metadata != nil {
			versions[cv.Version] = cv
		}
	}
	l.mu.Lock()
	l.index, l.readAt = versions, time.Now()
	l.mu.Unlock()
	if cv, ok := versions[version]; ok {
		return cv, nil
	}
	return nil, notServed(src.RepositoryURL, version)
}

func notServed(url, version string) error {
	return errorf(CodeChartUnavailable, nil, "chart repository %s has no %s %s (the deployed version): configure the repository the release was installed from", url, ChartName, version)
}

// parseIndex reads index.yaml from bytes as repo.LoadIndexFile reads it from a file (pkg/repo/v1/index.go,
// loadIndex and jsonOrYamlUnmarshal: JSON when valid JSON, else strict YAML; apiVersion required).
func parseIndex(data []byte) (*repo.IndexFile, error) {
	idx := &repo.IndexFile{}
	if len(data) == 0 {
		return nil, repo.ErrEmptyIndexYaml
	}
	var err error
	if json.Valid(data) {
		err = json.Unmarshal(data, idx)
	} else {
		err = yaml.UnmarshalStrict(data, idx)
	}
	if err != nil {
		return nil, err
	}
	if idx.APIVersion == "" {
		return nil, repo.ErrNoAPIVersion
	}
	return idx, nil
}

func (l *CachingChartLoader) fromOCI(version string) (*chart.Chart, error) {
	ref := strings.TrimSuffix(l.src.OCIRef, "/")
	if !registry.IsOCI(ref) {
		return nil, errorf(CodeChartUnavailable, nil, "OCI chart reference %q must start with oci://", l.src.OCIRef)
	}
	opts := []registry.ClientOption{registry.ClientOptHTTPClient(&http.Client{Timeout: l.src.Timeout})}
	if l.src.Username != "" {
		opts = append(opts, registry.ClientOptBasicAuth(l.src.Username, l.src.Password))
	}
	rc, err := registry.NewClient(opts...)
	if err != nil {
		return nil, errorf(CodeChartUnavailable, err, "OCI registry client: %v", err)
	}
	u := ref + ":" + version
	name := strings.TrimPrefix(u, "oci://")
	// One manifest HEAD request names the tag's digest; the layers are pulled only for a digest not cached.
	desc, err := rc.Resolve(name)
	if err != nil {
		return nil, errorf(CodeChartUnavailable, err, "cannot resolve %s%s: %v", u, noAnswer(err, l.src.Timeout), err)
	}
	key := ChartName + " " + version + " " + desc.Digest.String()
	if ch, ok := l.cached(key); ok {
		return ch, nil
	}
	res, err := rc.Pull(name, registry.PullOptWithChart(true))
	if err != nil {
		return nil, errorf(CodeChartUnavailable, err, "cannot pull %s%s: %v", u, noAnswer(err, l.src.Timeout), err)
	}
	// The manifest pulled must be the one resolved (the tag may move between the two requests); the chart layer's
	// own digest is checked by the OCI client (oras verifies each blob's content against its descriptor).
	if res.Manifest.Digest != desc.Digest.String() {
		return nil, errorf(CodeChartUnavailable, nil, "%s moved from %s to %s while it was pulled: try again", u, desc.Digest, res.Manifest.Digest)
	}
	return l.store(key, bytes.NewBuffer(res.Chart.Data), u)
}

func (l *CachingChartLoader) cached(key string) (*chart.Chart, bool) {
	l.mu.Lock()
	files, ok := l.archives[key]
	l.mu.Unlock()
	if !ok {
		return nil, false
	}
	ch, err := loadFiles(files)
	return ch, err == nil
}

func (l *CachingChartLoader) store(key string, buf *bytes.Buffer, from string) (*chart.Chart, error) {
	if buf.Len() > MaxChartBytes {
		return nil, errorf(CodeChartUnavailable, nil, "the chart at %s is %d bytes, more than the %d accepted", from, buf.Len(), MaxChartBytes)
	}
	files, err := archive.LoadArchiveFiles(buf)
	if err != nil {
		return nil, errorf(CodeChartUnavailable, err, "the chart at %s cannot be loaded: %v", from, err)
	}
	ch, err := loadFiles(files)
	if err != nil {
		return nil, errorf(CodeChartUnavailable, err, "the chart at %s cannot be loaded: %v", from, err)
	}
	l.mu.Lock()
	l.Downloads++
	// Only the newest archive of each version is kept: a digest that changed replaces the old one.
	for k := range l.archives {
		if strings.HasPrefix(k, ChartName+" "+ch.Metadata.Version+" ") {
			delete(l.archives, k)
		}
	}
	l.archives[key] = files
	l.mu.Unlock()
	return ch, nil
}

// loadFiles loads a chart from an archive's files; loader.LoadFiles renames subchart files in place, so it gets copies.
func loadFiles(files []*archive.BufferedFile) (*chart.Chart, error) {
	cp := make([]*archive.BufferedFile, len(files))
	for i, f := range files {
		c := *f
		cp[i] = &c
	}
	return loader.LoadFiles(cp)
}

func sha256Hex(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

func schemeOf(u string) string {
	if i := strings.Index(u, "://"); i > 0 {
		return u[:i]
	}
	return "none"
}
