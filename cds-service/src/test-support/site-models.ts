/** Site-model registry entries for tests. */
/** A valid registry entry (an ONNX file beside the configuration); tests break one field of it. */
export function validModel(): Record<string, unknown> {
  return {
    id: 't2d-risk',
    version: '1.0.0',
    owner: 'Clinical informatics',
    intendedUse: 'Flag adults at risk of undiagnosed type 2 diabetes',
    sourceAttributes: {
      developer: 'Site data science',
      outputDescription: 'Probability of type 2 diabetes',
      intendedUsers: ['Primary care clinicians'],
      intendedPopulation: 'Adults without diagnosed diabetes',
      trainingData: 'Synthetic records',
      validation: 'AUROC on a held-out split',
    },
    hooks: ['patient-view'],
    mode: 'silent',
    budgetMs: 100,
    features: [
      { name: 'age', demographic: 'age-years', missing: 50 },
      { name: 'a1c', valueSet: 'a1c', window: 730, aggregation: 'latest', unit: '%', missing: 5.4 },
      { name: 'glucose', loinc: ['2345-7'], window: 365, aggregation: 'mean', unit: 'mg/dL', missing: 95 },
    ],
    runtime: { kind: 'onnx', file: 'model.onnx' },
    outputs: [
      {
        output: 'probability',
        conditionId: 't2d',
        label: 'Type 2 diabetes',
        recordedValueSet: 't2d',
        thresholds: { info: 0.3, warning: 0.6 },
        summary: '{label} risk {probability} ({topFeatures})',
      },
    ],
  };
}
