// Per-layer sample shapes (no batch axis) and the padding each convolution needs, from the model's input.
import { BnxError } from '@bnx/ir';
import type { Layer, ModelIR } from '@bnx/ir';

export interface ShapedLayer {
  layer: Layer;
  /** Sample shape entering the layer. */
  inShape: number[];
  /** Sample shape leaving the layer. */
  outShape: number[];
  /** Conv only: ONNX pads [top, left, bottom, right]; `same` puts the odd pixel at the bottom/right (TF, PyTorch). */
  pads?: [number, number, number, number];
}

/** `input(28, 28)` is a one-channel image: (1, 28, 28). */
export function normalizedInputShape(model: ModelIR): number[] {
  return model.input.length === 2 ? [1, ...model.input] : [...model.input];
}

function where(model: ModelIR, layer: Layer): string {
  const pos = layer.loc?.range;
  return pos ? `${pos.file}:${pos.start.line}:${pos.start.column}: ` : `model '${model.name}', `;
}

function windowOut(size: number, kernel: number, stride: number): number {
  return Math.floor((size - kernel) / stride) + 1;
}

export function shapeLayers(model: ModelIR): ShapedLayer[] {
  let shape = normalizedInputShape(model);
  const shaped: ShapedLayer[] = [];
  for (const layer of model.layers) {
    const inShape = shape;
    const needsImage = () => {
      if (inShape.length !== 3)
        throw new BnxError(`${where(model, layer)}layer '${layer.name}' (${layer.op}) needs a (channels, height, width) input, got (${inShape.join(', ')})`);
    };
    let pads: ShapedLayer['pads'];
    switch (layer.op) {
      case 'dense':
        if (inShape.length !== 1)
          throw new BnxError(`${where(model, layer)}layer '${layer.name}' (dense) needs a flat input, got (${inShape.join(', ')}): add 'flatten' before it`);
        shape = [layer.units];
        break;
      case 'conv2d': {
        needsImage();
        const [c, h, w] = inShape as [number, number, number];
        const [kh, kw] = layer.kernel;
        const [sh, sw] = layer.stride;
        void c;
        if (layer.padding === 'valid') {
          pads = [0, 0, 0, 0];
          shape = [layer.filters, windowOut(h, kh, sh), windowOut(w, kw, sw)];
        } else {
          const ho = Math.ceil(h / sh);
          const wo = Math.ceil(w / sw);
          const ph = Math.max((ho - 1) * sh + kh - h, 0);
          const pw = Math.max((wo - 1) * sw + kw - w, 0);
          pads = [Math.floor(ph / 2), Math.floor(pw / 2), ph - Math.floor(ph / 2), pw - Math.floor(pw / 2)];
          shape = [layer.filters, ho, wo];
        }
        break;
      }
      case 'maxpool':
      case 'avgpool': {
        needsImage();
        const [c, h, w] = inShape as [number, number, number];
        shape = [c, windowOut(h, layer.size[0], layer.stride[0]), windowOut(w, layer.size[1], layer.stride[1])];
        break;
      }
      case 'flatten':
        shape = [inShape.reduce((a, b) => a * b, 1)];
        break;
      default:
        break;
    }
    if (shape.some((d) => !(d >= 1)))
      throw new BnxError(`${where(model, layer)}layer '${layer.name}' (${layer.op}) leaves no output: input (${inShape.join(', ')}) is too small`);
    shaped.push(pads ? { layer, inShape, outShape: shape, pads } : { layer, inShape, outShape: shape });
  }
  return shaped;
}

export const size = (shape: number[]): number => shape.reduce((a, b) => a * b, 1);
