import type { CDPSession } from 'playwright-core';

/**
 * Heap snapshots of a page through the Chrome DevTools Protocol, indexed enough to compare two of
 * them (tests/bench/heap-diff.ts) and to split a heap's growth into V8's compiled code and the
 * rest (the headset benchmark).
 */
interface RawSnapshot {
  snapshot: {
    meta: {
      node_fields: string[];
      node_types: [string[], ...unknown[]];
      edge_fields: string[];
      edge_types: [string[], ...unknown[]];
    };
  };
  nodes: number[];
  edges: number[];
  strings: string[];
}

/** A heap snapshot, indexed: nodes by ordinal, their ids, names and retainers. */
export class HeapGraph {
  readonly count: number;
  private readonly nodeFields: number;
  private readonly edgeFields: number;
  private readonly firstEdge: Uint32Array;
  private retainers: { from: number; edge: number }[][] | null = null;

  constructor(private readonly raw: RawSnapshot) {
    const meta = raw.snapshot.meta;
    this.nodeFields = meta.node_fields.length;
    this.edgeFields = meta.edge_fields.length;
    this.count = raw.nodes.length / this.nodeFields;
    this.firstEdge = new Uint32Array(this.count + 1);
    const edgeCount = meta.node_fields.indexOf('edge_count');
    for (let i = 0; i < this.count; i++)
      this.firstEdge[i + 1] =
        this.firstEdge[i]! + raw.nodes[i * this.nodeFields + edgeCount]! * this.edgeFields;
  }

  private field(node: number, name: string): number {
    return this.raw.nodes[
      node * this.nodeFields + this.raw.snapshot.meta.node_fields.indexOf(name)
    ]!;
  }

  id = (node: number) => this.field(node, 'id');
  selfSize = (node: number) => this.field(node, 'self_size');
  type = (node: number) => this.raw.snapshot.meta.node_types[0][this.field(node, 'type')]!;
  name = (node: number) => this.raw.strings[this.field(node, 'name')]!;

  /** What DevTools' "Comparison" groups by: the constructor for objects, else the node's type. */
  group(node: number): string {
    const type = this.type(node);
    if (type === 'object' || type === 'native') return this.name(node);
    if (type === 'closure') return `closure ${this.name(node) || '(anonymous)'}`;
    return `(${type})`;
  }

  private edgeLabel(edge: number): string {
    const fields = this.raw.snapshot.meta.edge_fields;
    const type =
      this.raw.snapshot.meta.edge_types[0][this.raw.edges[edge + fields.indexOf('type')]!]!;
    const nameOrIndex = this.raw.edges[edge + fields.indexOf('name_or_index')]!;
    return type === 'element' || type === 'hidden'
      ? `[${nameOrIndex}]`
      : `.${this.raw.strings[nameOrIndex]}`;
  }

  private edgeType(edge: number): string {
    const fields = this.raw.snapshot.meta.edge_fields;
    return this.raw.snapshot.meta.edge_types[0][this.raw.edges[edge + fields.indexOf('type')]!]!;
  }

  private buildRetainers() {
    const toNode = this.raw.snapshot.meta.edge_fields.indexOf('to_node');
    const retainers: { from: number; edge: number }[][] = Array.from(
      { length: this.count },
      () => [],
    );
    for (let from = 0; from < this.count; from++)
      for (let e = this.firstEdge[from]!; e < this.firstEdge[from + 1]!; e += this.edgeFields) {
        if (this.edgeType(e) === 'weak') continue;
        retainers[this.raw.edges[e + toNode]! / this.nodeFields]!.push({ from, edge: e });
      }
    return retainers;
  }

  /** One chain of strong retainers from `node` towards a GC root, as DevTools' "Retainers" shows. */
  retainerPath(node: number, depth = 12): string[] {
    this.retainers ??= this.buildRetainers();
    const path: string[] = [];
    const seen = new Set<number>([node]);
    let at = node;
    for (let i = 0; i < depth; i++) {
      const next = this.retainers[at]!.find(
        (r) =>
          !seen.has(r.from) &&
          this.type(r.from) !== 'hidden' &&
          this.edgeType(r.edge) !== 'shortcut',
      );
      if (next === undefined) break;
      path.push(`${this.edgeLabel(next.edge)} in ${this.group(next.from)}`);
      seen.add(next.from);
      at = next.from;
    }
    return path;
  }
}

export async function takeSnapshot(cdp: CDPSession): Promise<HeapGraph> {
  await cdp.send('HeapProfiler.collectGarbage');
  const chunks: string[] = [];
  const onChunk = (e: { chunk: string }) => chunks.push(e.chunk);
  cdp.on('HeapProfiler.addHeapSnapshotChunk', onChunk);
  await cdp.send('HeapProfiler.takeHeapSnapshot', { reportProgress: false });
  cdp.off('HeapProfiler.addHeapSnapshotChunk', onChunk);
  return new HeapGraph(JSON.parse(chunks.join('')) as RawSnapshot);
}

/**
 * Net change between two snapshots of one page, in bytes: V8's compiled code (bytecode, optimised
 * machine code and their metadata: node type `code`) and every other object of the JS heap
 * (Blink's own C++ objects, type `native`, are not in the JS heap and are left out).
 */
export function netGrowth(before: HeapGraph, after: HeapGraph): { code: number; objects: number } {
  const sum = (graph: HeapGraph) => {
    let code = 0;
    let objects = 0;
    for (let n = 0; n < graph.count; n++) {
      const type = graph.type(n);
      if (type === 'code') code += graph.selfSize(n);
      else if (type !== 'native' && type !== 'synthetic') objects += graph.selfSize(n);
    }
    return { code, objects };
  };
  const a = sum(before);
  const b = sum(after);
  return { code: b.code - a.code, objects: b.objects - a.objects };
}
