const { preset } = require('../jest.preset.cjs');

const base = preset(__dirname);

// The monitoring page and the validation report draw with Observable Plot, which, with d3, ships ES
// modules only (so do linkedom's selector packages): swc turns them into CommonJS for jest, as the smart-app's config does.
const ESM_PLOT = [
  '@observablehq/plot',
  'd3',
  'd3-[a-z-]+',
  'internmap',
  'delaunator',
  'robust-predicates',
  'isoformat',
  'interval-tree-1d',
  'binary-search-bounds',
  // linkedom (the DOM Plot draws into on the server) reads these ES-module-only selector packages.
  'css-select',
  'css-what',
  'nth-check',
  'boolbase',
  'domutils',
  'domhandler',
  'dom-serializer',
  'domelementtype',
  'entities',
  'cssomnom',
];
const [ignored] = base.transformIgnorePatterns;

module.exports = {
  ...base,
  transformIgnorePatterns: [ignored.replace('(?!(', `(?!(${ESM_PLOT.join('|')}|`)],
};
