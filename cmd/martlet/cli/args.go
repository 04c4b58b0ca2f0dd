package cli

import (
	"strings"

	ucli "github.com/urfave/cli/v2"
)

// normalizeArgs reorders a command line so that urfave/cli, which stops
// reading flags at the first positional argument and knows global flags
// only before the command, accepts what dbt users type: global flags after
// the command (`martlet run --target prod`) and flags after positional
// arguments (`martlet lineage orders.id --downstream`).
func normalizeArgs(app *ucli.App, args []string) []string {
	globals := flagArity(app.Flags)
	var global []string
	i := 0
	for ; i < len(args); i++ {
		a := args[i]
		if a == "--" || !strings.HasPrefix(a, "-") || a == "-" {
			break
		}
		global = append(global, a)
		if takesValue(globals, a) && i+1 < len(args) {
			i++
			global = append(global, args[i])
		}
	}
	if i >= len(args) {
		return global
	}
	cmd := app.Command(args[i])
	if cmd == nil {
		return append(global, args[i:]...)
	}
	path := []string{args[i]}
	i++
	for len(cmd.Subcommands) > 0 && i < len(args) {
		sub := cmd.Command(args[i])
		if sub == nil {
			break
		}
		cmd = sub
		path = append(path, args[i])
		i++
	}
	local := flagArity(cmd.Flags)
	var flags, positional []string
	for ; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			positional = append(positional, args[i+1:]...)
			break
		}
		if !strings.HasPrefix(a, "-") || a == "-" {
			positional = append(positional, a)
			continue
		}
		dst := &flags
		arity := local
		if _, isLocal := local[flagName(a)]; !isLocal {
			if _, isGlobal := globals[flagName(a)]; isGlobal {
				dst, arity = &global, globals
			}
		}
		*dst = append(*dst, a)
		if takesValue(arity, a) && i+1 < len(args) {
			i++
			value := args[i]
			for multiWord[flagName(a)] && i+1 < len(args) && !strings.HasPrefix(args[i+1], "-") {
				i++
				value += " " + args[i]
			}
			*dst = append(*dst, value)
		}
	}
	out := append(global, path...)
	out = append(out, flags...)
	if len(positional) > 0 {
		out = append(out, "--")
		out = append(out, positional...)
	}
	return out
}

// multiWord names the flags that, as in dbt, take every following word
// up to the next flag: `-s orders customers` selects both.
var multiWord = map[string]bool{"select": true, "s": true, "exclude": true, "models": true, "m": true}

// flagArity maps every flag name and alias to whether it takes a value.
func flagArity(flags []ucli.Flag) map[string]bool {
	out := map[string]bool{}
	for _, f := range flags {
		_, isBool := f.(*ucli.BoolFlag)
		for _, n := range f.Names() {
			out[n] = !isBool
		}
	}
	return out
}

func flagName(arg string) string {
	name := strings.TrimLeft(arg, "-")
	if i := strings.IndexByte(name, '='); i >= 0 {
		name = name[:i]
	}
	return name
}

func takesValue(arity map[string]bool, arg string) bool {
	return arity[flagName(arg)] && !strings.Contains(arg, "=")
}
