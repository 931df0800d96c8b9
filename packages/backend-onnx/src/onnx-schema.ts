// The ONNX protobuf schema. `onnx-proto` (npm) is protobufjs static code generated from the official
// github.com/onnx/onnx `onnx/onnx.proto3`; using it keeps every byte encoded by protobufjs from the official
// field numbers instead of by hand. Its schema predates IR version 9, which bnx does not need: the graphs
// use IR version 8 (the version opset 17 requires) and only messages unchanged since.
import onnxProto from 'onnx-proto';

export const onnx = onnxProto.onnx;
export type { onnx as OnnxTypes } from 'onnx-proto';

/** TensorProto.DataType values used by bnx. */
export const DataType = { FLOAT: 1, INT32: 6, INT64: 7, BOOL: 9 } as const;
export type ElementType = 'float' | 'int64';

/** AttributeProto.AttributeType values. */
export const AttributeType = { FLOAT: 1, INT: 2, STRING: 3, TENSOR: 4, FLOATS: 6, INTS: 7 } as const;

/** ONNX IR version written into every model: 8 is the first that opset 17 allows, and ORT 1.30 reads up to 11+. */
export const IR_VERSION = 8;
/** The default-domain opset every graph imports. */
export const OPSET = 17;
