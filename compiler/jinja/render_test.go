package jinja

// The expected outputs of these tables are what Jinja2 3.1 renders for
// the same templates and context (see renderContext).

import "testing"

func TestRenderKeywordArguments(t *testing.T) {
	runRenderCases(t, []renderCase{
		{
			name: "call with keyword arguments",
			src:  "{% macro cents(col, scale=2) %}round({{ col }} / 100, {{ scale }}){% endmacro %}{{ cents(\"amount\") }} {{ cents(\"amount\", scale=4) }} {{ cents(col=\"x\", scale=1) }}",
			want: "round(amount / 100, 2) round(amount / 100, 4) round(x / 100, 1)",
		},
		{
			name: "nested calls and expressions as values",
			src:  "{% macro wrap(x, pre=\"[\", post=\"]\") %}{{ pre }}{{ x }}{{ post }}{% endmacro %}{{ wrap(wrap(\"a\", pre=\"<\", post=\">\"), post=\"]\" ~ n * 2) }}",
			want: "[<a>]6",
		},
		{
			name: "keyword argument to a Jinja global",
			src:  "{{ dict(b=1, a=[1, 2]) }}",
			want: "{'b': 1, 'a': [1, 2]}",
		},
	})
}

func TestRenderLiterals(t *testing.T) {
	runRenderCases(t, []renderCase{
		{
			name: "list literal in set",
			src:  "{% set xs = [\"a\", \"b\"] %}{{ xs }} {{ xs|length }}",
			want: "['a', 'b'] 2",
		},
		{
			name: "dict literal keeps insertion order",
			src:  "{% set d = {\"z\": 1, 'a': n, \"m\": [1, 2]} %}{{ d }} {% for k in d %}{{ k }}{% endfor %}",
			want: "{'z': 1, 'a': 3, 'm': [1, 2]} zam",
		},
		{
			name: "list literal in for",
			src:  "{% for x in [\"x\", \"y\"] %}{{ x }}{% endfor %}",
			want: "xy",
		},
		{
			name: "list literal in call arguments",
			src:  "{{ [\"b\", \"a\"]|sort|join(\",\") }} {{ [1, 2, 3]|sum }}",
			want: "a,b 6",
		},
		{
			name: "tuple",
			src:  "{{ (1, \"a\") }} {{ (1,) }} {{ () }} {% set t = 1, 2 %}{{ t }}",
			want: "(1, 'a') (1,) () (1, 2)",
		},
		{
			name: "nested literals",
			src:  "{{ {\"k\": [1, {\"x\": none}], \"t\": true} }}",
			want: "{'k': [1, {'x': None}], 't': True}",
		},
		{
			name: "booleans and none",
			src:  "{{ true }} {{ True }} {{ false }} {{ False }} {{ none }} {{ None }}|{{ undefined_name }}|",
			want: "True True False False None None||",
		},
		{
			name: "numbers",
			src:  "{{ 1_000 }} {{ 0x1F }} {{ 0o17 }} {{ 0b101 }} {{ 1.5 }} {{ 1e3 }} {{ 1e20 }} {{ 1e-7 }} {{ 0.1 + 0.2 }} {{ 10 / 4 }} {{ -0.0 }}",
			want: "1000 31 15 5 1.5 1000.0 1e+20 1e-07 0.30000000000000004 2.5 -0.0",
		},
		{
			name: "string escapes",
			src:  "{{ \"tab\\there\" }}|{{ 'it\\'s' }}|{{ \"a\\\\b\" }}|{{ \"\\x41\\u00e9\" }}|{{ '\\d+' }}|{{ \"a\" 'b' }}",
			want: "tab\there|it's|a\\b|Aé|\\d+|ab",
		},
		{
			name: "string with a newline escape",
			src:  "x{{ \"one\\ntwo\" }}y",
			want: "xone\ntwoy",
		},
	})
}

func TestRenderLoopVariables(t *testing.T) {
	runRenderCases(t, []renderCase{
		{
			name: "index, first and last",
			src:  "{% for x in cols %}{{ loop.index }}{{ x }}{% if not loop.last %}, {% endif %}{% endfor %}",
			want: "1a, 2b, 3c",
		},
		{
			name: "all supported attributes",
			src:  "{% for x in cols %}{{ loop.index0 }}{{ loop.first }}{{ loop.last }}{{ loop.length }}{{ loop.revindex }}{{ loop.revindex0 }} {% endfor %}",
			want: "0TrueFalse332 1FalseFalse321 2FalseTrue310 ",
		},
		{
			name: "cycle",
			src:  "{% for x in cols %}{{ loop.cycle(\"odd\", \"even\") }} {% endfor %}",
			want: "odd even odd ",
		},
		{
			name: "nested loops see the innermost loop",
			src:  "{% for a in [1, 2] %}{% for b in \"xy\" %}{{ loop.index }}{{ a }}{{ b }} {% endfor %}{{ loop.index }}|{% endfor %}",
			want: "11x 21y 1|12x 22y 2|",
		},
		{
			name: "loop last in an inline if",
			src:  "{% for c in cols %}{{ c }}{{ \",\" if not loop.last }}{% endfor %}",
			want: "a,b,c",
		},
	})
}

func TestRenderConcatenation(t *testing.T) {
	runRenderCases(t, []renderCase{
		{
			name: "tilde converts to strings",
			src:  "{{ \"a\" ~ 1 ~ none ~ true ~ 1.5 }}|{{ \"x\" ~ undefined_name ~ \"y\" }}",
			want: "a1NoneTrue1.5|xy",
		},
		{
			name: "tilde binds tighter than plus",
			src:  "{{ n + 1 ~ \"\" if false else \"p\" }} {{ \"v\" ~ n + 1 if false else 0 }} {{ (\"v\" ~ n) + \"w\" }}",
			want: "p 0 v3w",
		},
		{
			name: "tilde binds looser than filters and times",
			src:  "{{ \"ab\" ~ \"cd\"|upper }} {{ (\"ab\" ~ \"cd\")|upper }} {{ \"x\" ~ 2 * 3 }}",
			want: "abCD ABCD x6",
		},
		{
			name: "tilde binds tighter than comparisons",
			src:  "{{ \"a\" ~ \"b\" == \"ab\" }} {{ \"x\" ~ \"y\" in \"xyz\" }}",
			want: "True True",
		},
	})
}

func TestRenderFilters(t *testing.T) {
	runRenderCases(t, []renderCase{
		{
			name: "join with and without separator",
			src:  "{{ cols|join(\", \") }} {{ cols|join }} {{ [1, 2]|join(\"-\") }}",
			want: "a, b, c abc 1-2",
		},
		{
			name: "default",
			src:  "{{ missing|default(\"d\") }} {{ none|default(\"d\") }} {{ \"\"|default(\"d\") }} {{ \"\"|default(\"d\", true) }} {{ missing|d(\"dd\") }} {{ 0|default(5, boolean=true) }}",
			want: "d None  d dd 5",
		},
		{
			name: "replace",
			src:  "{{ \"Hello\"|replace(\"l\", \"L\") }} {{ \"Hello\"|replace(\"l\", \"L\", 1) }} {{ 123|replace(2, \"x\") }}",
			want: "HeLLo HeLlo 1x3",
		},
		{
			name: "case and trim",
			src:  "{{ \"aBc\"|lower }} {{ \"aBc\"|upper }} {{ \"  x  \"|trim }}| {{ \"xxaxx\"|trim(\"x\") }}",
			want: "abc ABC x| a",
		},
		{
			name: "length, int, string",
			src:  "{{ cols|length }} {{ \"abc\"|length }} {{ \"42\"|int + 1 }} {{ \"4.7\"|int }} {{ \"x\"|int }} {{ \"x\"|int(7) }} {{ 3|string ~ \"!\" }} {{ 2.9|int }}",
			want: "3 3 43 4 0 7 3! 2",
		},
		{
			name: "list, first, last",
			src:  "{{ \"abc\"|list }} {{ cols|first }} {{ cols|last }} {{ empty|first }}|",
			want: "['a', 'b', 'c'] a c |",
		},
		{
			name: "round",
			src:  "{{ 3.14159|round(2) }} {{ 2.5|round }} {{ 3.5|round }} {{ 3|round }} {{ 2.675|round(2) }} {{ 2.1|round(0, \"ceil\") }} {{ 2.9|round(method=\"floor\") }}",
			want: "3.14 2.0 4.0 3 2.67 3.0 2.0",
		},
		{
			name: "sort, unique, min, max, sum",
			src:  "{{ [3, 1, 2]|sort }} {{ [\"b\", \"A\", \"c\"]|sort }} {{ [3, 1, 2]|sort(reverse=true) }} {{ [\"a\", \"A\", \"b\"]|unique|list }} {{ [1, 5, 3]|max }} {{ [4, 2]|min }} {{ [1, 2, 3]|sum(start=10) }}",
			want: "[1, 2, 3] ['A', 'b', 'c'] [3, 2, 1] ['a', 'b'] 5 2 16",
		},
		{
			name: "map, select, reject",
			src:  "{{ [{\"n\": \"x\"}, {\"n\": \"y\"}]|map(attribute=\"n\")|join(\",\") }} {{ [\"a\", \"b\"]|map(\"upper\")|list }} {{ [1, 0, 2]|select|list }} {{ [1, 2, 3, 4]|select(\"odd\")|list }} {{ [1, 2, 3]|reject(\"gt\", 1)|list }}",
			want: "x,y ['A', 'B'] [1, 2] [1, 3] [1]",
		},
		{
			name: "selectattr and rejectattr",
			src:  "{% set rows = [{\"a\": 1, \"k\": \"x\"}, {\"a\": 0, \"k\": \"y\"}] %}{{ rows|selectattr(\"a\")|map(attribute=\"k\")|list }} {{ rows|rejectattr(\"a\")|map(attribute=\"k\")|list }} {{ rows|selectattr(\"k\", \"equalto\", \"y\")|list }}",
			want: "['x'] ['y'] [{'a': 0, 'k': 'y'}]",
		},
		{
			name: "tojson",
			src:  "{{ {\"b\": 1, \"a\": [1, \"x\", none, true, 1.5]}|tojson }} {{ \"<&>'\"|tojson }} {{ \"é\"|tojson }}",
			want: "{\"a\": [1, \"x\", null, true, 1.5], \"b\": 1} \"\\u003c\\u0026\\u003e\\u0027\" \"\\u00e9\"",
		},
		{
			name: "format and printf",
			src:  "{{ \"%s-%d\"|format(\"a\", 3) }} {{ \"%(x)s!\"|format(x=1) }} {{ \"%05.2f\" % 3.14159 }} {{ \"%s\" % [1] }}",
			want: "a-3 1! 03.14 [1]",
		},
		{
			name: "title, capitalize, escape",
			src:  "{{ \"hello wORLD-x (y)\"|title }} {{ \"heLLo\"|capitalize }} {{ \"<a href='x'>&\"|e }}",
			want: "Hello World-X (Y) Hello &lt;a href=&#39;x&#39;&gt;&amp;",
		},
		{
			name: "abs, float, reverse, items, dictsort",
			src:  "{{ -3|abs }} {{ \"2.5\"|float }} {{ \"x\"|float }} {{ \"abc\"|reverse }} {{ [1, 2]|reverse|list }} {{ {\"b\": 2, \"a\": 1}|items|list }} {{ {\"b\": 2, \"a\": 1}|dictsort }}",
			want: "3 2.5 0.0 cba [2, 1] [('b', 2), ('a', 1)] [('a', 1), ('b', 2)]",
		},
		{
			name: "indent",
			src:  "{{ \"a\\nb\\n\\nc\"|indent(2) }}|{{ \"x\\ny\"|indent(first=true) }}",
			want: "a\n  b\n\n  c|    x\n    y",
		},
	})
}

func TestRenderTests(t *testing.T) {
	runRenderCases(t, []renderCase{
		{
			name: "defined and none",
			src:  "{{ x is defined }} {{ x is not defined }} {{ n is defined }} {{ none is defined }} {{ none is none }} {{ n is not none }} {{ x is undefined }}",
			want: "False True True True True True True",
		},
		{
			name: "types",
			src:  "{{ s is string }} {{ n is number }} {{ s is number }} {{ 1 is integer }} {{ 1.0 is float }} {{ true is boolean }} {{ {} is mapping }} {{ cols is sequence }} {{ cols is iterable }} {{ n is iterable }}",
			want: "True True False True True True True True True False",
		},
		{
			name: "values",
			src:  "{{ n is odd }} {{ 4 is even }} {{ 9 is divisibleby 3 }} {{ 9 is divisibleby(2) }} {{ 3 is in [1, 2, 3] }} {{ 3 is eq 3 }} {{ 3 is gt(2) }} {{ \"ab\" is lower }} {{ \"AB\" is upper }} {{ true is true }} {{ 1 is true }}",
			want: "True True True False True True True True True True False",
		},
		{
			name: "tests in conditions",
			src:  "{% if x is defined and x.y %}bad{% elif n is number and n > 2 %}ok{% endif %}",
			want: "ok",
		},
	})
}

func TestRenderStatements(t *testing.T) {
	runRenderCases(t, []renderCase{
		{
			name: "do with append mutates the list",
			src:  "{% set xs = [] %}{% do xs.append(1) %}{% do xs.append(\"two\") %}{% do xs.extend([3]) %}{{ xs }}",
			want: "[1, 'two', 3]",
		},
		{
			name: "do with dict update",
			src:  "{% set d = {} %}{% do d.update({\"a\": 1}) %}{% do d.update(b=2) %}{{ d }} {{ d.pop(\"a\") }} {{ d }}",
			want: "{'a': 1, 'b': 2} 1 {'b': 2}",
		},
		{
			name: "block set",
			src:  "{% set x %}\nblock {{ n }}\n{% endset %}[{{ x }}]",
			want: "[\nblock 3\n]",
		},
		{
			name: "set expression and tuple unpacking",
			src:  "{% set a = n * 2 %}{% set b, c = \"x\", \"y\" %}{{ a }}{{ b }}{{ c }}",
			want: "6xy",
		},
		{
			name: "set inside a loop does not leak",
			src:  "{% set y = 5 %}{% for x in [1, 2] %}{% set y = x %}{{ y }}{% endfor %}{{ y }}",
			want: "125",
		},
		{
			name: "set inside if leaks",
			src:  "{% set y = 5 %}{% if true %}{% set y = 7 %}{% endif %}{{ y }}",
			want: "7",
		},
		{
			name: "namespace assignment from a loop",
			src:  "{% set ns = namespace(found=false, count=0) %}{% for c in cols %}{% if c == \"b\" %}{% set ns.found = true %}{% endif %}{% set ns.count = ns.count + 1 %}{% endfor %}{{ ns.found }} {{ ns.count }}",
			want: "True 3",
		},
		{
			name: "for with else",
			src:  "{% for x in empty %}{{ x }}{% else %}none{% endfor %} {% for x in [1] %}{{ x }}{% else %}none{% endfor %}",
			want: "none 1",
		},
		{
			name: "every iteration starts from the outer scope",
			src:  "{% set acc = \"\" %}{% for c in cols %}{% set acc = acc ~ c %}{{ acc }}|{% endfor %}[{{ acc }}]",
			want: "a|b|c|[]",
		},
		{
			name: "loop filter",
			src:  "{% for c in cols if c != \"b\" %}{{ loop.index }}{{ c }}{% if not loop.last %},{% endif %}{% endfor %}",
			want: "1a,2c",
		},
		{
			name: "loop filter with unpacking and else",
			src:  "{% for k, v in {\"a\": 1, \"b\": 2}.items() if v > 1 %}{{ k }}{{ loop.length }}{% else %}none{% endfor %} {% for x in cols if false %}{% else %}empty{% endfor %}",
			want: "b1 empty",
		},
		{
			name: "for over dict items",
			src:  "{% set d = {\"z\": 1, \"a\": 2} %}{% for k, v in d.items() %}{{ k }}={{ v }};{% endfor %}",
			want: "z=1;a=2;",
		},
		{
			name: "for with tuple unpacking",
			src:  "{% for a, b in [(1, 2), [3, 4]] %}{{ a }}{{ b }} {% endfor %}",
			want: "12 34 ",
		},
		{
			name: "if, elif, else",
			src:  "{% for i in range(4) %}{% if i == 0 %}zero{% elif i == 1 %}one{% elif i is odd %}odd{% else %}else{% endif %} {% endfor %}",
			want: "zero one else odd ",
		},
		{
			name: "with",
			src:  "{% with a = 1, b = n %}{{ a + b }}{% endwith %}{{ a }}|",
			want: "4|",
		},
		{
			name: "comments",
			src:  "a{# one #}b{# two\nlines #}c",
			want: "abc",
		},
		{
			name: "raw",
			src:  "{% raw %}{{ x }} {% if %}{# c #}{% endraw %}",
			want: "{{ x }} {% if %}{# c #}",
		},
		{
			name: "range and dict globals",
			src:  "{% for i in range(3) %}{{ i }}{% endfor %} {{ range(1, 10, 3)|list }} {{ range(3, 0, -1)|list }}",
			want: "012 [1, 4, 7] [3, 2, 1]",
		},
	})
}

func TestRenderInlineIf(t *testing.T) {
	runRenderCases(t, []renderCase{
		{
			name: "with and without else",
			src:  "{{ \"a\" if n > 2 else \"b\" }} {{ \"c\" if n > 5 }}|{{ \"d\" if false else \"e\" if true else \"f\" }}",
			want: "a |e",
		},
		{
			name: "only the chosen branch is evaluated",
			src:  "{{ 1 / 0 if false else \"safe\" }} {{ \"safe\" if true else undefined_name.attr }} {{ (1 if true else 2) + 3 }}",
			want: "safe safe 4",
		},
		{
			name: "as a call argument",
			src:  "{{ [1, 2]|join(\"-\" if n > 1 else \"+\") }}",
			want: "1-2",
		},
	})
}

func TestRenderOperators(t *testing.T) {
	runRenderCases(t, []renderCase{
		{
			name: "arithmetic",
			src:  "{{ 7 / 2 }} {{ 7 // 2 }} {{ -7 // 2 }} {{ 7 % 3 }} {{ -7 % 3 }} {{ 2 ** 10 }} {{ 2 ** -1 }} {{ 1.5 * 2 }} {{ 10 - 2 - 3 }} {{ 2 ** 3 ** 2 }} {{ -2 ** 2 }}",
			want: "3.5 3 -4 1 2 1024 0.5 3.0 5 64 4",
		},
		{
			name: "sequences",
			src:  "{{ \"x\" * 3 }} {{ [1] * 2 }} {{ [1] + [2] }} {{ \"a\" + \"b\" }} {{ (1,) + (2,) }}",
			want: "xxx [1, 1] [1, 2] ab (1, 2)",
		},
		{
			name: "and, or, not return operands",
			src:  "{{ true and \"yes\" or \"no\" }} {{ false and \"yes\" or \"no\" }} {{ none or [] or 0 }} {{ 0 or \"x\" }} {{ \"\" and 1 }} {{ not 0 }} {{ not (true or true) }} {{ not true or true }}",
			want: "yes no 0 x  True False True",
		},
		{
			name: "and/or short-circuit",
			src:  "{{ false and undefined_name.attr }} {{ true or undefined_name.attr }}",
			want: "False True",
		},
		{
			name: "comparisons and membership",
			src:  "{{ 1 < n < 5 }} {{ 1 < n < 2 }} {{ 3 in [1, 2, 3] }} {{ 4 not in [1, 2] }} {{ \"ll\" in s }} {{ \"x\" in {\"x\": 1} }} {{ 1 == 1.0 }} {{ \"1\" == 1 }} {{ [1, 2] == [1, 2] }} {{ \"a\" < \"b\" }} {{ [1, 2] < [1, 3] }}",
			want: "True False True True True True True False True True True",
		},
		{
			name: "subscripts and slices",
			src:  "{{ cols[0] }} {{ cols[-1] }} {{ cols[1:] }} {{ cols[::-1] }} {{ s[0:5] }} {{ cols.1 }} {{ cols[10] }}|{{ \"hello\"[::2] }} {{ (1, 2, 3)[:2] }}",
			want: "a c ['b', 'c'] ['c', 'b', 'a'] Hello b |hlo (1, 2)",
		},
		{
			name: "attribute and item access",
			src:  "{{ target.name }} {{ target[\"schema\"] }} {{ target.missing }}| {{ {\"a\": {\"b\": 1}}[\"a\"][\"b\"] }} {{ {\"x\": {\"y\": 2}}.x.y }}",
			want: "dev main | 1 2",
		},
	})
}

func TestRenderWhitespaceControl(t *testing.T) {
	runRenderCases(t, []renderCase{
		{
			name: "minus strips whitespace and newlines",
			src:  "line1\n{%- set x = 1 -%}\n   line2 {{ x }}\n  {#- comment -#}\nline3",
			want: "line1line2 1line3",
		},
		{
			name: "if blocks",
			src:  "{%- if n == 1 -%}\none\n{%- elif n == 3 -%}\n  three\n{%- else -%}\nother\n{%- endif %}",
			want: "three",
		},
		{
			name: "for loop building a list",
			src:  "select\n{%- for x in cols %}\n  {{ x }}{{ \",\" if not loop.last }}\n{%- endfor %}\nfrom t",
			want: "select\n  a,\n  b,\n  c\nfrom t",
		},
		{
			name: "plus is accepted",
			src:  "a  {%+ if true %}b{% endif +%}  c",
			want: "a  b  c",
		},
		{
			name: "raw with whitespace control",
			src:  "a {%- raw -%} {{ x }} {%- endraw -%} b",
			want: "a{{ x }}b",
		},
		{
			name: "single trailing newline is dropped",
			src:  "x\n",
			want: "x",
		},
		{
			name: "only one trailing newline is dropped",
			src:  "x\n\n",
			want: "x\n",
		},
	})
}

func TestRenderMethods(t *testing.T) {
	runRenderCases(t, []renderCase{
		{
			name: "string methods",
			src:  "{{ \"a,b,c\".split(\",\") }} {{ \" a b  c \".split() }} {{ \"a,b,c\".split(\",\", 1) }} {{ \" Ab \".strip().lower() }} {{ s.upper() }} {{ s.startswith(\"He\") }} {{ s.endswith((\"x\", \"ld\")) }} {{ s.replace(\"World\", \"There\") }} {{ \"-\".join([\"x\", \"y\"]) }} {{ \"abc\".find(\"c\") }} {{ \"hello world\".title() }} {{ \"12\".isdigit() }} {{ \"{}-{}\".format(\"a\", 1) }}",
			want: "['a', 'b', 'c'] ['a', 'b', 'c'] ['a', 'b,c'] ab HELLO WORLD True True Hello There x-y 2 Hello World True a-1",
		},
		{
			name: "list methods",
			src:  "{% set xs = [3, 1] %}{% do xs.insert(0, 9) %}{{ xs }} {{ xs.pop() }} {{ xs.index(3) }} {{ xs.count(9) }} {{ xs }}",
			want: "[9, 3, 1] 1 1 1 [9, 3]",
		},
		{
			name: "dict methods",
			src:  "{% set d = {\"a\": 1} %}{{ d.get(\"a\") }} {{ d.get(\"b\") }} {{ d.get(\"b\", 5) }} {{ d.keys() }} {{ d.values()|list }} {{ d.items()|list }} {{ d.setdefault(\"c\", 3) }} {{ d }}",
			want: "1 None 5 dict_keys(['a']) [1] [('a', 1)] 3 {'a': 1, 'c': 3}",
		},
		{
			name: "methods on context values",
			src:  "{{ target.get(\"name\") }} {{ target.keys()|list }} {{ cols.index(\"b\") }}",
			want: "dev ['name', 'schema'] 1",
		},
	})
}
