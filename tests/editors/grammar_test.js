// The VS Code extension's TextMate grammar, tokenized the way VS Code does
// (vscode-textmate with the Oniguruma regex engine): spot checks on the
// examples and on tricky lines.
//
// Usage: node grammar_test.js GRAMMAR TOOLS_NODE_MODULES EXAMPLES_DIR
'use strict';
const assert = require('assert');
const fs = require('fs');
const path = require('path');

const [grammarPath, modules, examples] = process.argv.slice(2);
const load = (name) => require(path.join(path.resolve(modules), name));
const textmate = load('vscode-textmate');
const oniguruma = load('vscode-oniguruma');

async function main() {
  const wasm = fs.readFileSync(path.join(path.resolve(modules), 'vscode-oniguruma', 'release', 'onig.wasm')).buffer;
  await oniguruma.loadWASM(wasm);
  const registry = new textmate.Registry({
    onigLib: Promise.resolve({
      createOnigScanner: (patterns) => new oniguruma.OnigScanner(patterns),
      createOnigString: (text) => new oniguruma.OnigString(text),
    }),
    loadGrammar: async () => textmate.parseRawGrammar(fs.readFileSync(grammarPath, 'utf8'), grammarPath),
  });
  const grammar = await registry.loadGrammar('source.cadence');

  // Scopes of each token of each line of a text.
  function tokenize(text) {
    let stack = textmate.INITIAL;
    const result = [];
    for (const line of text.split('\n')) {
      const { tokens, ruleStack } = grammar.tokenizeLine(line, stack);
      for (const token of tokens) {
        result.push({ text: line.slice(token.startIndex, token.endIndex), scopes: token.scopes.join(' ') });
      }
      stack = ruleStack;
    }
    return result;
  }
  function scopeOf(tokens, text) {
    const token = tokens.find((t) => t.text === text);
    assert.ok(token, `token '${text}' not found`);
    return token.scopes;
  }

  const sample = tokenize([
    'sequence s { // cadence-ignore: touch-count',
    '  wait 2d',
    '  email hi { template t }',
    '  branch opened(hi) within 3d { yes { exit "done" } }',
    '  body """',
    '    Hi {{lead.firstname | "there"}}',
    '  """',
    '}',
  ].join('\n'));
  assert.match(scopeOf(sample, 'sequence'), /keyword\.declaration/);
  assert.match(scopeOf(sample, 'wait'), /keyword\.control/);
  assert.match(scopeOf(sample, '2d'), /constant\.numeric\.duration/);
  assert.match(scopeOf(sample, 'email'), /entity\.name\.function\.step/);
  assert.match(scopeOf(sample, 'opened'), /support\.function\.signal/);
  assert.match(scopeOf(sample, 'lead.firstname '), /string\.quoted\.triple.*variable\.other\.merge-field/);
  assert.match(scopeOf(sample, 'done'), /string\.quoted\.double/);
  console.log('sample scopes: ok');

  // Every example tokenizes, and every keyword line gets its scope.
  const files = fs.readdirSync(examples).filter((f) => f.endsWith('.cadence'));
  assert.ok(files.length > 0);
  for (const file of files) {
    const tokens = tokenize(fs.readFileSync(path.join(examples, file), 'utf8'));
    const seq = tokens.filter((t) => t.text === 'sequence');
    assert.ok(seq.every((t) => /keyword\.declaration|comment/.test(t.scopes)), `${file}: 'sequence' scoped`);
  }
  console.log(`${files.length} examples tokenized: ok`);
}

main().then(() => { console.log('1 passed, 0 failed'); })
  .catch((error) => { console.error(error); console.log('0 passed, 1 failed'); process.exit(1); });
