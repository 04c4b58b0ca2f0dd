package docs

import (
	"bytes"
	"context"
	"errors"
	"net"
	"net/http"
	"strconv"
	"time"
)

// Server is a running docs server; see Serve.
type Server struct {
	addr string
	done chan struct{}
	err  error
}

// Addr is the address the server listens on, 127.0.0.1:port.
func (s *Server) Addr() string { return s.addr }

// URL is the page's address.
func (s *Server) URL() string { return "http://" + s.addr + "/" }

// Wait blocks until the server has stopped, after its context was
// cancelled, and returns why it stopped: nil after a clean shutdown.
func (s *Server) Wait() error {
	<-s.done
	return s.err
}

// Serve serves page (a page written by Generate) on 127.0.0.1:port, and
// only on the loopback interface; port 0 picks a free port. It returns once
// the server listens; the server stops when ctx is cancelled.
func Serve(ctx context.Context, page []byte, port int) (*Server, error) {
	if port < 0 || port > 65535 {
		return nil, errors.New("docs: port out of range: " + strconv.Itoa(port))
	}
	var lc net.ListenConfig
	ln, err := lc.Listen(ctx, "tcp4", net.JoinHostPort("127.0.0.1", strconv.Itoa(port)))
	if err != nil {
		return nil, err
	}
	srv := &http.Server{
		Handler:           Handler(page),
		ReadHeaderTimeout: 10 * time.Second,
	}
	s := &Server{addr: ln.Addr().String(), done: make(chan struct{})}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	go func() {
		defer close(s.done)
		select {
		case s.err = <-served:
		case <-ctx.Done():
			shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			s.err = srv.Shutdown(shutdown)
			<-served
		}
	}()
	return s, nil
}

// Handler serves page at / and /index.html (GET and HEAD), and nothing
// else.
func Handler(page []byte) http.Handler {
	modTime := time.Now()
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/" && r.URL.Path != "/index.html" {
			http.NotFound(w, r)
			return
		}
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			w.Header().Set("Allow", "GET, HEAD")
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		h := w.Header()
		h.Set("Content-Type", "text/html; charset=utf-8")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("Cache-Control", "no-cache")
		http.ServeContent(w, r, "index.html", modTime, bytes.NewReader(page))
	})
}
