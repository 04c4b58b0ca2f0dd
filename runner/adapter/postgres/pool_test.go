package postgres

import (
	"context"
	"errors"
	"reflect"
	"testing"
	"time"

	"martlet/runner/adapter/postgres/pgtest"
)

func TestPoolReplacesConnectionsTheServerClosed(t *testing.T) {
	a, _ := openTest(t, 1)
	killer, err := Open(context.Background(), pgtest.DSN(t), 1)
	if err != nil {
		t.Fatal(err)
	}
	defer killer.Close()
	pid := queryStrings(t, a, "SELECT pg_backend_pid()")
	if got := queryStrings(t, killer, "SELECT pg_terminate_backend("+pid[0]+")"); !reflect.DeepEqual(got, []string{"true"}) {
		t.Fatalf("pg_terminate_backend = %v", got)
	}
	time.Sleep(pingAfter + 100*time.Millisecond)
	if got := queryStrings(t, a, "SELECT pg_backend_pid()"); reflect.DeepEqual(got, pid) {
		t.Errorf("query ran on the terminated backend %v", pid)
	}
}

func TestClose(t *testing.T) {
	a, err := Open(context.Background(), pgtest.DSN(t), 2)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.Exec(context.Background(), "SELECT 1"); err != nil {
		t.Fatal(err)
	}
	if err := a.Close(); err != nil {
		t.Fatal(err)
	}
	if err := a.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
	if _, err := a.Exec(context.Background(), "SELECT 1"); !errors.Is(err, errClosed) {
		t.Errorf("Exec after Close: %v, want %v", err, errClosed)
	}
}
