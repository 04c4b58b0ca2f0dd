package docs

import (
	"context"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

func TestBrowserShop(t *testing.T) {
	m := shopManifest()
	page := generate(t, m, shopResults(), Options{})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	srv, err := Serve(ctx, page, 0)
	if err != nil {
		t.Fatal(err)
	}
	b := newBrowser(t)
	b.do(chromedp.Navigate(srv.URL()))

	// The graph draws every node but the tests, and with them on, all.
	b.waitFor(`document.querySelectorAll("svg.dag g.node").length > 0`)
	if got := count(b, "svg.dag g.node"); got != len(m.Nodes)-3 {
		t.Errorf("the graph drew %d nodes, want %d", got, len(m.Nodes)-3)
	}
	b.click(".tests-toggle input")
	b.waitFor(`document.querySelectorAll("svg.dag g.node.kind-test").length > 0`)
	if got := count(b, "svg.dag g.node"); got != len(m.Nodes) {
		t.Errorf("the graph drew %d nodes, want %d", got, len(m.Nodes))
	}
	if got := count(b, "svg.dag path.edge"); got != 8 {
		t.Errorf("the graph drew %d edges, want 8", got)
	}

	// The wheel zooms around the pointer and a drag pans, without focusing.
	scale := `document.querySelector("svg.dag g.viewport").transform.baseVal.consolidate().matrix`
	before := eval[[]float64](b, "(m => [m.a, m.e, m.f])("+scale+")")
	b.do(chromedp.MouseEvent(input.DispatchMouseEventTypeMouseWheel, 800, 420, func(p *input.DispatchMouseEventParams) { p.DeltaX, p.DeltaY = 0.01, -300 }))
	b.waitFor(scale + ".a > " + fmt.Sprint(before[0]))
	zoomed := eval[[]float64](b, "(m => [m.a, m.e, m.f])("+scale+")")
	left := func(p *input.DispatchMouseEventParams) { p.Button = input.MouseButtonLeft; p.Buttons = 1 }
	b.do(
		chromedp.MouseEvent(input.DispatchMouseEventTypeMousePressed, 700, 650, left),
		chromedp.MouseEvent(input.DispatchMouseEventTypeMouseMoved, 750, 670, left),
		chromedp.MouseEvent(input.DispatchMouseEventTypeMouseMoved, 800, 690, left),
		chromedp.MouseEvent(input.DispatchMouseEventTypeMouseReleased, 800, 690, left),
	)
	panned := eval[[]float64](b, "(m => [m.a, m.e, m.f])("+scale+")")
	if math.Abs(panned[1]-zoomed[1]-100) > 0.5 || math.Abs(panned[2]-zoomed[2]-40) > 0.5 {
		t.Errorf("a drag of (100, 40) moved the graph from %v to %v", zoomed, panned)
	}
	if n := count(b, "svg.dag g.node.focus"); n != 0 {
		t.Errorf("a drag focused %d nodes", n)
	}
	b.click("button.fit")

	// "Focused lineage only" draws the focused node's lineage alone.
	b.click(".lineage-toggle input")
	b.route("#/graph/model.shop.int_payments")
	b.waitFor(`document.querySelectorAll("svg.dag g.node").length === 7`)
	b.click(".lineage-toggle input")
	b.waitFor(`document.querySelectorAll("svg.dag g.node").length === 9`)

	// Clicking a model focuses it: its ancestors and descendants light up.
	b.click(`g.node[data-id="model.shop.orders"] rect.box`)
	b.waitFor(`document.querySelector('g.node[data-id="model.shop.orders"]').classList.contains("focus")`)
	for id, class := range map[string]string{
		"model.shop.stg_orders":    "up",
		"seed.shop.raw_orders":     "up",
		"source.shop.raw.payments": "up",
		"model.shop.customers":     "down",
	} {
		if !eval[bool](b, fmt.Sprintf(`document.querySelector('g.node[data-id=%q]').classList.contains(%q)`, id, class)) {
			t.Errorf("%s is not marked %s", id, class)
		}
	}
	b.review("graph-focus")

	// Colour by folder: the legend lists the folders.
	b.click(`button.seg[data-mode="folder"]`)
	if got := count(b, ".legend .legend-item"); got != 5 {
		t.Errorf("the folder legend has %d entries, want 5", got)
	}
	b.click(`button.seg[data-mode="materialized"]`)

	// The card opens the model's page, with its columns.
	b.click(`.node-card a.open-page`)
	b.waitFor(`!!document.querySelector('.node-page[data-id="model.shop.orders"]')`)
	cols := eval[[]string](b, `[...document.querySelectorAll("tr.col-row")].map(r => r.dataset.col)`)
	if strings.Join(cols, ",") != "order_id,customer_id,amount" {
		t.Errorf("columns %v", cols)
	}
	if got := eval[string](b, `document.querySelector(".run-card").textContent`); !strings.Contains(got, "success") || !strings.Contains(got, "97") {
		t.Errorf("last run card %q", got)
	}
	tests := eval[[]string](b, `[...document.querySelectorAll('tr.col-row[data-col="order_id"] .test-chip')].map(a => a.textContent + ":" + a.className)`)
	if strings.Join(tests, ",") != "unique:test-chip st-ok,not_null:test-chip st-none" {
		t.Errorf("order_id tests %v", tests)
	}

	// Clicking a column shows its lineage across models.
	b.click(`tr.col-row[data-col="amount"] td.col-desc`)
	b.waitFor(`!!document.querySelector(".column-lineage g.lcol.selected")`)
	for _, c := range []struct{ node, col, class string }{
		{"model.shop.orders", "amount", "selected"},
		{"model.shop.int_payments", "amount", "upstream"},
		{"source.shop.raw.payments", "amount_cents", "upstream"},
		{"model.shop.customers", "lifetime_value", "downstream"},
		{"model.shop.orders", "customer_id", "other"},
	} {
		sel := fmt.Sprintf(`.column-lineage g.lcol[data-node=%q][data-col=%q]`, c.node, c.col)
		if !eval[bool](b, fmt.Sprintf(`!!document.querySelector('%s') && document.querySelector('%s').classList.contains(%q)`, sel, sel, c.class)) {
			t.Errorf("%s.%s is not marked %s", c.node, c.col, c.class)
		}
	}
	if got := count(b, ".column-lineage path.cedge"); got != 3 {
		t.Errorf("%d column edges, want 3", got)
	}
	b.review("column-lineage")

	// Search finds a column by name and opens its lineage.
	b.do(chromedp.SendKeys(chromedp.CSS("#search"), "lifetime"))
	b.waitFor(`document.querySelectorAll(".search-results li.result").length > 0`)
	if got := eval[string](b, `document.querySelector(".search-results li.result").textContent`); !strings.Contains(got, "customers.lifetime_value") {
		t.Errorf("first search result %q", got)
	}
	b.review("search")
	b.do(chromedp.KeyEvent(kb.Enter))
	b.waitFor(`location.hash.endsWith("/column/lifetime_value")`)
	b.waitFor(`!!document.querySelector('.column-lineage g.lcol.upstream[data-col="amount_cents"]')`)

	// Descriptions are text: the script in one shows as text and runs not.
	b.route("#/model/model.shop.stg_orders")
	b.waitFor(`!!document.querySelector('.node-page[data-id="model.shop.stg_orders"] .description')`)
	if got := eval[string](b, `document.querySelector(".description").textContent`); !strings.Contains(got, "<script>alert(1)</script>") {
		t.Errorf("description shows %q", got)
	}
	if n := count(b, "script"); n != 3 {
		t.Errorf("%d script elements, want 3", n)
	}
	if n := count(b, "img"); n != 0 {
		t.Errorf("%d img elements, want none", n)
	}
	b.check(srv.URL())
}

// TestBrowserLargeProject opens a 10,000-model project from a file: the
// graph shows a note instead of drawing everything, and a node's lineage
// draws within the limit.
func TestBrowserLargeProject(t *testing.T) {
	if testing.Short() {
		t.Skip("short")
	}
	m := synthetic(10000)
	path := filepath.Join(t.TempDir(), "index.html")
	if err := os.WriteFile(path, generate(t, m, nil, Options{}), 0o644); err != nil {
		t.Fatal(err)
	}
	b := newBrowser(t)
	start := time.Now()
	b.do(chromedp.Navigate("file://" + path))
	b.waitFor(`!!document.querySelector(".big-note")`)
	t.Logf("page ready in %v", time.Since(start))
	if n := count(b, "svg.dag g.node"); n != 0 {
		t.Errorf("drew %d nodes of a project over the limit", n)
	}
	b.click(".big-note .hubs a")
	b.waitFor(`document.querySelectorAll("svg.dag g.node.focus").length === 1`)
	n := count(b, "svg.dag g.node")
	if n < 2 || n > DefaultFullGraphLimit {
		t.Errorf("the lineage drew %d nodes, want 2..%d", n, DefaultFullGraphLimit)
	}
	t.Logf("lineage of %d nodes drawn %v after load", n, time.Since(start))
	b.review("large")

	// Search answers on 10,000 models.
	b.do(chromedp.SendKeys(chromedp.CSS("#search"), "m09999"))
	b.waitFor(`document.querySelectorAll(".search-results li.result").length > 0`)
	b.do(chromedp.KeyEvent(kb.Enter))
	b.waitFor(`!!document.querySelector('.node-page[data-id="model.big.m09999"] tr.col-row')`)
	if d := time.Since(start); d > 60*time.Second {
		t.Errorf("took %v", d)
	}
	b.check("file://")
}

// TestBrowserDemo opens the demo project's docs and, with
// -update-screenshot, saves the README's screenshot.
func TestBrowserDemo(t *testing.T) {
	m, r := demo(t)
	path := filepath.Join(t.TempDir(), "index.html")
	if err := os.WriteFile(path, generate(t, m, r, Options{}), 0o644); err != nil {
		t.Fatal(err)
	}
	b := newBrowser(t)
	b.do(chromedp.Navigate("file://" + path))
	b.waitFor(`document.querySelectorAll("svg.dag g.node").length > 0`)
	b.review("demo-graph")
	b.click(".tests-toggle input")
	b.waitFor(`document.querySelectorAll("svg.dag g.node.kind-test").length > 0`)
	if got := count(b, "svg.dag g.node"); got != len(m.Nodes) {
		t.Errorf("the graph drew %d nodes, want %d", got, len(m.Nodes))
	}
	b.review("demo-graph-tests")
	b.click(".tests-toggle input")
	focus := "model.streamflix.stg_videos"
	b.click(fmt.Sprintf(`g.node[data-id=%q] rect.box`, focus))
	b.waitFor(`!!document.querySelector(".node-card:not([hidden])")`)
	if *updateScreenshot {
		b.screenshot(filepath.Join("testdata", "screenshot.png"))
	}
	b.review("demo-focus")
	b.route("#/model/" + focus)
	b.waitFor(`document.querySelectorAll("tr.col-row").length > 0`)
	b.review("demo-model")
	b.route("#/model/" + focus + "/column/duration_seconds")
	b.waitFor(`!!document.querySelector(".column-lineage g.lcol.selected")`)
	b.review("demo-column")
	b.check("file://")
}
