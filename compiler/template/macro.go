package template

import (
	"errors"
	"fmt"

	"github.com/flosch/pongo2/v6"

	"martlet/compiler/diag"
	"martlet/compiler/jinja"
)

// macroFunc returns the Go function a template calls for a macro: it binds
// positional and keyword arguments to the macro's parameters (defaults
// evaluated in the caller's context), renders the body, and returns what
// the body rendered, or the value it passed to return().
func (s *renderState) macroFunc(m *macro) func(args ...*pongo2.Value) (*pongo2.Value, error) {
	return func(args ...*pongo2.Value) (*pongo2.Value, error) {
		s.macrosUsed[m.Name] = true
		s.volatile = s.volatile || m.volatile
		key, cacheable := "", false
		if m.pure {
			if key, cacheable = cacheKey(m.Name, args); cacheable {
				if out, ok := m.cache.Load(key); ok {
					return pongo2.AsSafeValue(out.(string)), nil
				}
			}
		}
		if s.depth >= maxMacroDepth {
			return nil, s.locate(m, fmt.Errorf("macro %q recurses more than %d levels deep", m.Name, maxMacroDepth))
		}
		pos, kw := jinja.SplitArgs(args)
		if len(pos) > len(m.Params) {
			return nil, fmt.Errorf("macro %s takes %d arguments, got %d", m.Name, len(m.Params), len(pos))
		}
		ctx := s.context()
		for name := range kw {
			if !hasParam(m.Params, name) {
				return nil, fmt.Errorf("macro %s has no parameter %q", m.Name, name)
			}
		}
		for i, p := range m.Params {
			switch v, byName := kw[p.Name]; {
			case i < len(pos):
				if byName {
					return nil, fmt.Errorf("macro %s got two values for parameter %q", m.Name, p.Name)
				}
				ctx[p.Name] = pos[i].Interface()
			case byName:
				ctx[p.Name] = v.Interface()
			case p.HasDefault:
				def, err := jinja.EvalExpr(p.Default, ctx)
				if err != nil {
					return nil, s.locate(m, fmt.Errorf("default of parameter %q: %v", p.Name, err))
				}
				ctx[p.Name] = def.Interface()
			default:
				ctx[p.Name] = nil
			}
		}
		var returned *pongo2.Value
		ctx["return"] = func(v *pongo2.Value) string {
			if returned == nil {
				returned = v
			}
			return ""
		}
		s.depth++
		out, err := m.tpl.Execute(ctx)
		s.depth--
		if err != nil {
			if s.located != nil {
				return nil, errors.New(s.located.Msg)
			}
			d := pongoDiagnostic(m.file, err)
			s.located = d
			return nil, errors.New(d.Msg)
		}
		if returned != nil {
			return returned, nil
		}
		if cacheable {
			m.cache.Store(key, out)
		}
		return pongo2.AsSafeValue(out), nil
	}
}

// locate records err as raised at the macro's definition.
func (s *renderState) locate(m *macro, err error) error {
	if s.located == nil {
		s.located = diag.At(m.file, m.Line, m.Col, "%v", err)
	}
	return err
}

func hasParam(ps []jinja.Param, name string) bool {
	for _, p := range ps {
		if p.Name == name {
			return true
		}
	}
	return false
}
