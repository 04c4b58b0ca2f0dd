package postgres

import (
	"context"
	"errors"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
)

// errClosed is returned by a pool after Close.
var errClosed = errors.New("postgres adapter is closed")

// pingAfter is how long a connection may sit idle before it is pinged on
// reuse, to replace connections the server has closed meanwhile.
const pingAfter = time.Second

// pool is a minimal connection pool: at most cap(slots) connections are in
// use at once, and released healthy connections are kept for reuse.
// (pgxpool would need a module this one does not require.)
type pool struct {
	config *pgx.ConnConfig
	slots  chan struct{}

	mu     sync.Mutex
	idle   []idleConn
	closed bool
}

// idleConn is a connection waiting in the pool since a time.
type idleConn struct {
	conn  *pgx.Conn
	since time.Time
}

func newPool(config *pgx.ConnConfig, size int) *pool {
	return &pool{config: config, slots: make(chan struct{}, size)}
}

// acquire returns a connection for the caller's exclusive use, waiting for
// a free slot; release must be called with it. A connection idle for more
// than pingAfter is pinged first and replaced by a new one if it is broken.
func (p *pool) acquire(ctx context.Context) (*pgx.Conn, error) {
	select {
	case p.slots <- struct{}{}:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	for {
		p.mu.Lock()
		if p.closed {
			p.mu.Unlock()
			<-p.slots
			return nil, errClosed
		}
		n := len(p.idle)
		if n == 0 {
			p.mu.Unlock()
			break
		}
		c := p.idle[n-1]
		p.idle = p.idle[:n-1]
		p.mu.Unlock()
		if time.Since(c.since) < pingAfter || c.conn.Ping(ctx) == nil {
			return c.conn, nil
		}
		closeConn(c.conn)
		if ctx.Err() != nil {
			<-p.slots
			return nil, ctx.Err()
		}
	}
	conn, err := pgx.ConnectConfig(ctx, p.config)
	if err != nil {
		<-p.slots
		return nil, err
	}
	return conn, nil
}

// release returns conn to the pool. A connection that is broken, or left
// inside a transaction, is closed rather than reused.
func (p *pool) release(conn *pgx.Conn) {
	defer func() { <-p.slots }()
	p.mu.Lock()
	keep := !p.closed && !conn.IsClosed() && conn.PgConn().TxStatus() == 'I'
	if keep {
		p.idle = append(p.idle, idleConn{conn: conn, since: time.Now()})
	}
	p.mu.Unlock()
	if !keep {
		closeConn(conn)
	}
}

// close closes the idle connections; connections in use are closed when
// released.
func (p *pool) close() {
	p.mu.Lock()
	idle := p.idle
	p.idle, p.closed = nil, true
	p.mu.Unlock()
	for _, c := range idle {
		closeConn(c.conn)
	}
}

// closeConn closes conn, giving the server a few seconds to take the
// goodbye; the connection is gone either way.
func closeConn(conn *pgx.Conn) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_ = conn.Close(ctx)
}
