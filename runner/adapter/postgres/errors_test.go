package postgres

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"martlet/runner/adapter/postgres/pgtest"
)

func TestMaskDSN(t *testing.T) {
	tests := []struct{ in, want string }{
		{"postgres://martlet:s3cret@db.example:5432/mart?sslmode=disable", "postgres://martlet:*****@db.example:5432/mart?sslmode=disable"},
		{"postgresql://u:p%40ss@h/db", "postgresql://u:*****@h/db"},
		{"postgres://u:p@ss@h/db", "postgres://u:*****@h/db"},
		{"POSTGRES://u:pw@h", "POSTGRES://u:*****@h"},
		{"postgres://u@h/db", "postgres://u@h/db"},
		{"postgres://h/db?user=u&password=pw&sslpassword=k&sslmode=require", "postgres://h/db?user=u&password=*****&sslpassword=*****&sslmode=require"},
		{"host=h user=u password=s3cret dbname=mart", "host=h user=u password=***** dbname=mart"},
		{"host=h password = 's3 cr\\'et' dbname=mart", "host=h password = ***** dbname=mart"},
		{"host=h sslpassword=k", "host=h sslpassword=*****"},
		{"host=h user=u", "host=h user=u"},
		{"cannot parse `postgres://u:pw@h:bad/db`: invalid port", "cannot parse `postgres://u:*****@h:bad/db`: invalid port"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := MaskDSN(tt.in); got != tt.want {
			t.Errorf("MaskDSN(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestFormatPgError(t *testing.T) {
	tests := []struct {
		name string
		err  pgconn.PgError
		sql  string
		want string
	}{
		{
			"all parts",
			pgconn.PgError{Severity: "ERROR", Code: "23505", Message: "duplicate key", Detail: "Key (id)=(1) already exists.", Hint: "Look."},
			"", "ERROR: duplicate key; DETAIL: Key (id)=(1) already exists.; HINT: Look. (SQLSTATE 23505)",
		},
		{
			"position counts characters",
			pgconn.PgError{Severity: "ERROR", Code: "42703", Message: `column "x" does not exist`, Position: 15},
			"select 'é',\n  x", `ERROR: column "x" does not exist at line 2, column 3 (SQLSTATE 42703)`,
		},
		{
			"position outside the statement is left out",
			pgconn.PgError{Severity: "ERROR", Code: "42601", Message: "syntax error", Position: 99},
			"select", "ERROR: syntax error (SQLSTATE 42601)",
		},
	}
	for _, tt := range tests {
		if got := formatPgError(&tt.err, tt.sql); got != tt.want {
			t.Errorf("%s: %q, want %q", tt.name, got, tt.want)
		}
	}
}

func TestOpenErrorsAreOneLineAndMasked(t *testing.T) {
	config, err := pgx.ParseConfig(pgtest.DSN(t))
	if err != nil {
		t.Fatal(err)
	}
	const secret = "Wr0ng-S3cret"
	url := func(password, host string, port uint16, db string) string {
		return fmt.Sprintf("postgres://%s:%s@%s:%d/%s?sslmode=disable", config.User, password, host, port, db)
	}
	tests := []struct {
		name, dsn, want string
	}{
		{
			"wrong password", url(secret, config.Host, config.Port, config.Database),
			fmt.Sprintf(`cannot connect to postgres://%s:*****@%s:%d/%s?sslmode=disable: FATAL: password authentication failed for user "%s" (SQLSTATE 28P01)`,
				config.User, config.Host, config.Port, config.Database, config.User),
		},
		{
			"wrong password, key=value DSN with TLS attempted first",
			fmt.Sprintf("host=%s port=%d user=%s password='%s' dbname=%s", config.Host, config.Port, config.User, secret, config.Database),
			"password=***** dbname=" + config.Database + `: FATAL: password authentication failed for user "` + config.User + `" (SQLSTATE 28P01)`,
		},
		{"missing database", url(config.Password, config.Host, config.Port, "no_such_db"), `FATAL: database "no_such_db" does not exist (SQLSTATE 3D000)`},
		{"unreachable", url(secret, "127.0.0.1", 1, "db"), "cannot connect to postgres://" + config.User + ":*****@127.0.0.1:1/db?sslmode=disable: 127.0.0.1:1 (127.0.0.1): dial error: dial tcp 127.0.0.1:1: connect: connection refused"},
		{"unknown host", url(secret, "no-such-host.invalid", 5432, "db"), "no-such-host.invalid"},
		{"malformed", "postgres://u:" + secret + "@h:port/db", "invalid PostgreSQL DSN: cannot parse `postgres://u:*****@h:port/db`"},
		{"unknown option", "host=h password=" + secret + " sslmode=sometimes", "invalid PostgreSQL DSN: "},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, err := Open(context.Background(), tt.dsn, 1)
			if err == nil {
				a.Close()
				t.Fatal("Open succeeded")
			}
			msg := err.Error()
			if !strings.Contains(msg, tt.want) {
				t.Errorf("error %q, want it to contain %q", msg, tt.want)
			}
			if strings.Contains(msg, secret) || strings.Contains(msg, "\n") {
				t.Errorf("error %q shows the password or spans lines", msg)
			}
		})
	}
}
