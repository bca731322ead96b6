const { preset, transformEsm, ESM_PLOT } = require('../jest.preset.cjs');

// The monitoring page and the validation report draw with Observable Plot into linkedom's DOM;
// linkedom reads these ES-module-only selector packages.
const ESM_LINKEDOM = [
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

module.exports = transformEsm(preset(__dirname), [...ESM_PLOT, ...ESM_LINKEDOM]);
