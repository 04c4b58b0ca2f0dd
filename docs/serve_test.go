package docs

import (
	"context"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"
)

func get(t *testing.T, method, url string) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequest(method, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return res, string(body)
}

func TestServeBindsLoopbackAndServesThePage(t *testing.T) {
	page := generate(t, shopManifest(), shopResults(), Options{})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	srv, err := Serve(ctx, page, 0)
	if err != nil {
		t.Fatal(err)
	}
	host, port, err := net.SplitHostPort(srv.Addr())
	if err != nil || host != "127.0.0.1" || port == "0" {
		t.Fatalf("address %q (%v), want 127.0.0.1 and a port", srv.Addr(), err)
	}
	if srv.URL() != "http://"+srv.Addr()+"/" {
		t.Errorf("URL %q", srv.URL())
	}

	res, body := get(t, http.MethodGet, srv.URL())
	if res.StatusCode != http.StatusOK || body != string(page) {
		t.Errorf("GET / = %d, %d bytes; want 200 and the page", res.StatusCode, len(body))
	}
	if ct := res.Header.Get("Content-Type"); ct != "text/html; charset=utf-8" {
		t.Errorf("Content-Type %q", ct)
	}
	if res.Header.Get("X-Content-Type-Options") != "nosniff" {
		t.Error("no nosniff header")
	}
	if res, _ := get(t, http.MethodGet, srv.URL()+"index.html"); res.StatusCode != http.StatusOK {
		t.Errorf("GET /index.html = %d", res.StatusCode)
	}
	if res, body := get(t, http.MethodHead, srv.URL()); res.StatusCode != http.StatusOK || body != "" {
		t.Errorf("HEAD / = %d, %q", res.StatusCode, body)
	}
	if res, _ := get(t, http.MethodGet, srv.URL()+"../etc/passwd"); res.StatusCode != http.StatusNotFound {
		t.Errorf("GET of another path = %d, want 404", res.StatusCode)
	}
	if res, _ := get(t, http.MethodPost, srv.URL()); res.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("POST = %d, want 405", res.StatusCode)
	}

	// The port must not answer on any other address of this machine.
	for _, ip := range otherAddrs(t) {
		conn, err := net.DialTimeout("tcp", net.JoinHostPort(ip, port), time.Second)
		if err == nil {
			conn.Close()
			t.Errorf("the server answers on %s", ip)
		}
	}
}

// otherAddrs lists this machine's addresses outside the loopback range.
func otherAddrs(t *testing.T) []string {
	addrs, err := net.InterfaceAddrs()
	if err != nil {
		t.Logf("no interface addresses: %v", err)
		return nil
	}
	var out []string
	for _, a := range addrs {
		if ipn, ok := a.(*net.IPNet); ok && !ipn.IP.IsLoopback() && ipn.IP.To4() != nil {
			out = append(out, ipn.IP.String())
		}
	}
	return out
}

func TestServeStopsWithItsContext(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	srv, err := Serve(ctx, []byte("<!DOCTYPE html>"), 0)
	if err != nil {
		t.Fatal(err)
	}
	cancel()
	done := make(chan error, 1)
	go func() { done <- srv.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("Wait = %v, want nil after a clean shutdown", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the server did not stop")
	}
	if err := srv.Wait(); err != nil {
		t.Errorf("second Wait = %v", err)
	}
	if conn, err := net.DialTimeout("tcp", srv.Addr(), time.Second); err == nil {
		conn.Close()
		t.Error("the server still listens after its context ended")
	}
}

func TestServeRejectsBadPorts(t *testing.T) {
	for _, port := range []int{-1, 70000} {
		if _, err := Serve(context.Background(), nil, port); err == nil || !strings.Contains(err.Error(), "port") {
			t.Errorf("port %d: %v", port, err)
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	first, err := Serve(ctx, nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	_, port, _ := net.SplitHostPort(first.Addr())
	n, err := strconv.Atoi(port)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Serve(ctx, nil, n); err == nil {
		t.Error("no error for a port in use")
	}
}
