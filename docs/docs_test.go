package docs

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

func TestGenerateIsSelfContained(t *testing.T) {
	m, r := demo(t)
	page := generate(t, m, r, Options{})
	lower := strings.ToLower(string(page))
	for _, bad := range []string{
		`src="http`, `src='http`, `href="http`, `href='http`, `@import`, `url(http`, `url("http`, `url('http`,
		`fetch(`, `xmlhttprequest`, `websocket`, `eventsource`, `sendbeacon`, `import(`, `sourcemappingurl`,
		`<link`, `<iframe`, `<img`,
	} {
		if strings.Contains(lower, bad) {
			t.Errorf("page holds %q", bad)
		}
	}
	if n := strings.Count(lower, "<html"); n != 1 {
		t.Errorf("page has %d <html> elements, want 1", n)
	}
	if !strings.Contains(string(page), dagreJS) {
		t.Error("the vendored dagre is not inlined")
	}
	for _, name := range append(append([]string{}, scripts...), styles...) {
		if !strings.Contains(string(page), "/* "+name+" */") {
			t.Errorf("asset %s is not inlined", name)
		}
	}
}

// TestEveryAssetIsUsed keeps assets/ and the load lists in step.
func TestEveryAssetIsUsed(t *testing.T) {
	entries, err := fs.ReadDir(assetFS, "assets")
	if err != nil {
		t.Fatal(err)
	}
	listed := map[string]bool{}
	for _, n := range append(append([]string{}, scripts...), styles...) {
		listed[n] = true
	}
	if len(entries) != len(listed) {
		t.Errorf("assets/ has %d files, the load lists %d", len(entries), len(listed))
	}
	for _, e := range entries {
		if !listed[e.Name()] {
			t.Errorf("assets/%s is not loaded by the page", e.Name())
		}
	}
}

func TestGenerateRoundTripsTheData(t *testing.T) {
	m, r := shopManifest(), shopResults()
	p := pageData(t, generate(t, m, r, Options{FullGraphLimit: 7}))
	if p.Project != "shop" || p.Title != "shop" || p.Target.Type != "duckdb" || p.FullGraphLimit != 7 {
		t.Errorf("header = %q %q %+v %d", p.Project, p.Title, p.Target, p.FullGraphLimit)
	}
	if p.Run == nil || p.Run.Elapsed != 1.5 {
		t.Errorf("run = %+v", p.Run)
	}
	if len(p.Nodes) != len(m.Nodes) {
		t.Fatalf("%d nodes, want %d", len(p.Nodes), len(m.Nodes))
	}
	for i, n := range m.Nodes {
		got := p.Nodes[i]
		if got.ID != n.ID || got.Name != n.Name || got.Kind != string(n.Kind) || got.Path != n.Path ||
			got.Description != n.Description || got.RawSQL != n.RawSQL || got.CompiledSQL != n.CompiledSQL {
			t.Errorf("node %d = %+v, want %+v", i, got, n)
		}
		if strings.Join(got.DependsOn, ",") != strings.Join(n.DependsOn, ",") {
			t.Errorf("%s depends on %v, want %v", n.ID, got.DependsOn, n.DependsOn)
		}
		if len(got.Columns) != len(n.Columns) {
			t.Fatalf("%s has %d columns, want %d", n.ID, len(got.Columns), len(n.Columns))
		}
		for j, c := range n.Columns {
			gc := got.Columns[j]
			if gc.Name != c.Name || gc.DataType != c.DataType || gc.Description != c.Description || len(gc.Upstream) != len(c.Upstream) {
				t.Errorf("%s column %d = %+v, want %+v", n.ID, j, gc, c)
			}
			for k := range c.Upstream {
				if gc.Upstream[k] != c.Upstream[k] {
					t.Errorf("%s.%s upstream %d = %+v, want %+v", n.ID, c.Name, k, gc.Upstream[k], c.Upstream[k])
				}
			}
		}
	}
	byID := map[string]pageNode{}
	for _, n := range p.Nodes {
		byID[n.ID] = n
	}
	orders := byID["model.shop.orders"]
	if orders.Folder != "models/marts" || orders.Materialized != "table" || orders.Relation != `"main"."orders"` ||
		strings.Join(orders.Tags, ",") != "nightly" {
		t.Errorf("orders = %+v", orders)
	}
	if orders.Result == nil || orders.Result.Status != "success" || orders.Result.Rows != 97 || orders.Result.Started == nil {
		t.Errorf("orders result = %+v", orders.Result)
	}
	failed := byID["test.shop.not_null_customers_customer_id"]
	if failed.Test == nil || failed.Test.Attached != "model.shop.customers" || failed.Test.Column != "customer_id" ||
		failed.Result == nil || failed.Result.Failures == nil || *failed.Result.Failures != 3 {
		t.Errorf("failing test = %+v %+v", failed.Test, failed.Result)
	}
	if eph := byID["model.shop.int_payments"]; eph.Relation != "" || eph.Result != nil || eph.Materialized != "ephemeral" {
		t.Errorf("ephemeral model = %+v", eph)
	}
	if src := byID["source.shop.raw.payments"]; src.Materialized != "source" || src.DependsOn == nil || src.Tags == nil {
		t.Errorf("source = %+v", src)
	}
}

func TestGenerateWithoutResults(t *testing.T) {
	p := pageData(t, generate(t, shopManifest(), nil, Options{Title: "Shop <docs>"}))
	if p.Run != nil {
		t.Errorf("run = %+v, want none", p.Run)
	}
	for _, n := range p.Nodes {
		if n.Result != nil {
			t.Errorf("%s has a result without run results", n.ID)
		}
	}
	if p.Title != "Shop <docs>" || p.FullGraphLimit != DefaultFullGraphLimit {
		t.Errorf("title %q, limit %d", p.Title, p.FullGraphLimit)
	}
}

func TestGenerateEscapes(t *testing.T) {
	page := generate(t, shopManifest(), shopResults(), Options{Title: "<b>Shop</b> & co"})
	s := string(page)
	if strings.Contains(s, "alert(1)</script>") || strings.Contains(s, "<img src=x") || strings.Contains(s, "<!-- &") {
		t.Error("a description reached the page unescaped")
	}
	if strings.ContainsRune(s, '\u2028') {
		t.Error("U+2028 reached the page unescaped")
	}
	// The JSON, dagre and the app: three script elements, all closed.
	if o, c := strings.Count(s, "<script"), strings.Count(s, "</script>"); o != 3 || c != 3 {
		t.Errorf("%d <script> and %d </script>, want 3 and 3", o, c)
	}
	if !strings.Contains(s, "<title>&lt;b&gt;Shop&lt;/b&gt; &amp; co · martlet docs</title>") {
		t.Error("the title is not escaped")
	}
	p := pageData(t, page)
	if got := p.Nodes[2].Description; got != "Orders, renamed. "+evil {
		t.Errorf("description round trip = %q", got)
	}
}

func TestGenerateContentSecurityPolicy(t *testing.T) {
	s := string(generate(t, shopManifest(), nil, Options{}))
	csp := regexp.MustCompile(`content="(default-src 'none'; [^"]+)"`).FindStringSubmatch(s)
	if csp == nil {
		t.Fatal("no Content-Security-Policy")
	}
	for _, want := range []string{"script-src", "style-src", "base-uri 'none'"} {
		if !strings.Contains(csp[1], want) {
			t.Errorf("policy %q lacks %q", csp[1], want)
		}
	}
	if strings.Contains(csp[1], "unsafe") || strings.Contains(csp[1], "connect-src") {
		t.Errorf("policy %q is too lax", csp[1])
	}
	// Every inline script and style must be allowed by its hash.
	for _, m := range regexp.MustCompile(`(?s)<(script|style)>(.*?)</(?:script|style)>`).FindAllStringSubmatch(s, -1) {
		sum := sha256.Sum256([]byte(m[2]))
		if h := "'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "'"; !strings.Contains(csp[1], h) {
			t.Errorf("the policy does not allow a %s element (%s)", m[1], h)
		}
	}
}

func TestGenerateErrors(t *testing.T) {
	if err := Generate(&bytes.Buffer{}, nil, nil, Options{}); err == nil {
		t.Error("no error for a nil manifest")
	}
	m := shopManifest()
	m.Nodes[6].Test.Args = map[string]any{"bad": func() {}}
	if err := Generate(&bytes.Buffer{}, m, nil, Options{}); err == nil {
		t.Error("no error for data that has no JSON form")
	}
	if err := Generate(failingWriter{}, shopManifest(), nil, Options{}); err == nil {
		t.Error("no error from a failing writer")
	}
}

type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

func TestReadRunResults(t *testing.T) {
	_, r := demo(t)
	if len(r.Results) == 0 || r.GeneratedAt.IsZero() {
		t.Fatalf("demo results = %+v", r)
	}
	seen := map[string]bool{}
	for _, res := range r.Results {
		seen[res.Status] = true
		if res.UniqueID == "" {
			t.Errorf("result without unique_id: %+v", res)
		}
	}
	if !seen["success"] || !seen["pass"] {
		t.Errorf("statuses %v", seen)
	}

	dir := t.TempDir()
	if _, err := ReadRunResults(filepath.Join(dir, "missing.json")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("missing file: %v", err)
	}
	bad := filepath.Join(dir, "bad.json")
	if err := os.WriteFile(bad, []byte("{"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := ReadRunResults(bad); err == nil || !strings.Contains(err.Error(), bad) {
		t.Errorf("bad file: %v", err)
	}
}

func TestByNodeLastResultWins(t *testing.T) {
	r := &RunResults{Results: []RunResult{{UniqueID: "a", Status: "error"}, {UniqueID: "a", Status: "success"}}}
	if got := r.byNode()["a"].Status; got != "success" {
		t.Errorf("status %q", got)
	}
	var none *RunResults
	if none.byNode() != nil {
		t.Error("nil results index")
	}
}

// TestGenerateLargeProject checks that a 10,000-model project renders
// quickly enough to stay usable.
func TestGenerateLargeProject(t *testing.T) {
	if testing.Short() {
		t.Skip("short")
	}
	m := synthetic(10000)
	p := pageData(t, generate(t, m, nil, Options{}))
	if len(p.Nodes) != len(m.Nodes) {
		t.Errorf("%d nodes, want %d", len(p.Nodes), len(m.Nodes))
	}
}
