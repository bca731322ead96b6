/**
 * Writes a logistic regression as an ONNX model: `probability = Sigmoid(MatMul(input, W) + B)`,
 * input float[N, k], output float[N, 1]. The messages below are the subset of the ONNX IR
 * (onnx/onnx.proto, IR version 7; field numbers as published there) such a graph needs, encoded
 * with protobufjs. Used by the training script and by tests that need a real model file.
 */
import protobuf from 'protobufjs';

const ONNX_SUBSET = {
  nested: {
    onnx: {
      nested: {
        ModelProto: {
          fields: {
            irVersion: { type: 'int64', id: 1 },
            producerName: { type: 'string', id: 2 },
            producerVersion: { type: 'string', id: 3 },
            domain: { type: 'string', id: 4 },
            modelVersion: { type: 'int64', id: 5 },
            docString: { type: 'string', id: 6 },
            graph: { type: 'GraphProto', id: 7 },
            opsetImport: { rule: 'repeated', type: 'OperatorSetIdProto', id: 8 },
            metadataProps: { rule: 'repeated', type: 'StringStringEntryProto', id: 14 },
          },
        },
        OperatorSetIdProto: {
          fields: { domain: { type: 'string', id: 1 }, version: { type: 'int64', id: 2 } },
        },
        StringStringEntryProto: {
          fields: { key: { type: 'string', id: 1 }, value: { type: 'string', id: 2 } },
        },
        GraphProto: {
          fields: {
            node: { rule: 'repeated', type: 'NodeProto', id: 1 },
            name: { type: 'string', id: 2 },
            initializer: { rule: 'repeated', type: 'TensorProto', id: 5 },
            docString: { type: 'string', id: 10 },
            input: { rule: 'repeated', type: 'ValueInfoProto', id: 11 },
            output: { rule: 'repeated', type: 'ValueInfoProto', id: 12 },
          },
        },
        NodeProto: {
          fields: {
            input: { rule: 'repeated', type: 'string', id: 1 },
            output: { rule: 'repeated', type: 'string', id: 2 },
            name: { type: 'string', id: 3 },
            opType: { type: 'string', id: 4 },
            domain: { type: 'string', id: 7 },
          },
        },
        TensorProto: {
          fields: {
            dims: { rule: 'repeated', type: 'int64', id: 1 },
            dataType: { type: 'int32', id: 2 },
            floatData: { rule: 'repeated', type: 'float', id: 4, options: { packed: true } },
            name: { type: 'string', id: 8 },
          },
        },
        ValueInfoProto: {
          fields: { name: { type: 'string', id: 1 }, type: { type: 'TypeProto', id: 2 } },
        },
        TypeProto: {
          fields: { tensorType: { type: 'Tensor', id: 1 } },
          nested: {
            Tensor: {
              fields: { elemType: { type: 'int32', id: 1 }, shape: { type: 'TensorShapeProto', id: 2 } },
            },
          },
        },
        TensorShapeProto: {
          fields: { dim: { rule: 'repeated', type: 'Dimension', id: 1 } },
          nested: {
            Dimension: {
              oneofs: { value: { oneof: ['dimValue', 'dimParam'] } },
              fields: { dimValue: { type: 'int64', id: 1 }, dimParam: { type: 'string', id: 2 } },
            },
          },
        },
      },
    },
  },
};

/** TensorProto.DataType.FLOAT */
const FLOAT = 1;

const ModelProto = protobuf.Root.fromJSON(ONNX_SUBSET).lookupType('onnx.ModelProto');

export interface LogisticModel {
  /** One weight per input feature, in the input's order. */
  weights: readonly number[];
  intercept: number;
  inputName?: string;
  outputName?: string;
  /** Stored as the model's metadata_props (feature names, training report). */
  metadata?: Readonly<Record<string, string>>;
  docString?: string;
}

function tensorType(name: string, width: number) {
  return {
    name,
    type: {
      tensorType: { elemType: FLOAT, shape: { dim: [{ dimParam: 'N' }, { dimValue: width }] } },
    },
  };
}

/** The ONNX bytes of a logistic regression (opset 13: MatMul, Add, Sigmoid). */
export function logisticRegressionOnnx(model: LogisticModel): Uint8Array {
  const k = model.weights.length;
  const input = model.inputName ?? 'input';
  const output = model.outputName ?? 'probability';
  const message = ModelProto.fromObject({
    irVersion: 7,
    producerName: 'rationale',
    producerVersion: '1',
    modelVersion: 1,
    ...(model.docString ? { docString: model.docString } : {}),
    opsetImport: [{ domain: '', version: 13 }],
    metadataProps: Object.entries(model.metadata ?? {}).map(([key, value]) => ({ key, value })),
    graph: {
      name: 'logistic_regression',
      node: [
        { input: [input, 'W'], output: ['logit_raw'], name: 'matmul', opType: 'MatMul' },
        { input: ['logit_raw', 'B'], output: ['logit'], name: 'add', opType: 'Add' },
        { input: ['logit'], output: [output], name: 'sigmoid', opType: 'Sigmoid' },
      ],
      initializer: [
        { name: 'W', dataType: FLOAT, dims: [k, 1], floatData: [...model.weights] },
        { name: 'B', dataType: FLOAT, dims: [1], floatData: [model.intercept] },
      ],
      input: [tensorType(input, k)],
      output: [tensorType(output, 1)],
    },
  });
  return ModelProto.encode(message).finish();
}
