// psparse.cjs: parse PowerShell files with the tree-sitter-powershell
// grammar (run by web-tree-sitter under Node) and print, as JSON, each
// file's syntax errors, its functions and every command with its
// arguments. Used by
// internal/toolcheck (PowerShellGrammar) as
// node --liftoff-only psparse.cjs FILE...
'use strict';
const { Parser, Language } = require('web-tree-sitter');
const fs = require('fs');

(async () => {
  await Parser.init();
  const lang = await Language.load(require.resolve('tree-sitter-powershell/tree-sitter-powershell.wasm'));
  const parser = new Parser();
  parser.setLanguage(lang);
  const out = [];
  for (const file of process.argv.slice(2)) {
    const tree = parser.parse(fs.readFileSync(file, 'utf8'));
    const res = { file, errors: [], commands: [], functions: [] };
    const visit = (n) => {
      if (n.isError || n.isMissing) {
        res.errors.push({ line: n.startPosition.row + 1, column: n.startPosition.column + 1, kind: n.isMissing ? 'MISSING ' + n.type : 'ERROR', text: n.text.slice(0, 80) });
      }
      for (const c of n.children) visit(c);
    };
    if (tree.rootNode.hasError) visit(tree.rootNode);
    // The script's own functions, with their parameters' names: a call to
    // one is checked against its declaration, not the cmdlet table.
    for (const f of tree.rootNode.descendantsOfType('function_statement')) {
      const name = f.children.find((c) => c.type === 'function_name');
      const params = f.descendantsOfType('script_parameter').map((sp) => {
        const v = sp.children.find((c) => c.type === 'variable');
        return v ? v.text.replace(/^\$/, '') : '';
      });
      res.functions.push({ name: name ? name.text : '', params });
    }
    for (const c of tree.rootNode.descendantsOfType('command')) {
      const name = c.childForFieldName('command_name');
      const cmd = { name: name ? name.text : '', line: c.startPosition.row + 1, args: [] };
      const els = c.childForFieldName('command_elements');
      for (const e of els ? els.children : []) {
        if (e.type === 'command_argument_sep') continue;
        if (e.type === 'command_parameter') {
          cmd.args.push({ parameter: e.text, value: null });
          continue;
        }
        const value = { type: e.type, text: e.text, kinds: [] };
        // The innermost kinds of an array_literal_expression's elements.
        const leaves = (n) => {
          if (n.type === 'unary_expression' || n.type === 'array_literal_expression') { n.namedChildren.forEach(leaves); return; }
          value.kinds.push(n.type);
        };
        leaves(e);
        const last = cmd.args[cmd.args.length - 1];
        if (last && last.value === null && !last.parameter.endsWith(':')) last.value = value;
        else cmd.args.push({ parameter: null, value });
      }
      res.commands.push(cmd);
    }
    out.push(res);
  }
  // web-tree-sitter keeps the event loop alive: exit once the output is out.
  fs.writeSync(1, JSON.stringify(out));
  process.exit(0);
})().catch((e) => { console.error(e); process.exit(2); });
