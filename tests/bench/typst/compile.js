#!/usr/bin/env node
// Compiles one Typst file to PDF with the Typst compiler as a native Node module
// (@myriaddreamin/typst-ts-node-compiler, installed next to this script by
// `npm ci --prefix tests/bench/typst`) and prints "<pages> pages".
//
//   node compile.js IN.typ OUT.pdf
'use strict';
const fs = require('fs');
const path = require('path');
const { NodeCompiler } = require('@myriaddreamin/typst-ts-node-compiler');

const [input, output] = process.argv.slice(2);
if (!input || !output) {
  console.error('usage: node compile.js IN.typ OUT.pdf');
  process.exit(2);
}

const compiler = NodeCompiler.create({ workspace: path.dirname(path.resolve(input)) });
const compiled = compiler.compile({ mainFilePath: path.resolve(input) });
if (compiled.hasError()) {
  compiled.printErrors();
  process.exit(1);
}
const document = compiled.result;
fs.writeFileSync(output, compiler.pdf(document));
console.log(`${document.numOfPages} pages`);
