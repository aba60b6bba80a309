// The core runs in the browser and in Node, so it compiles against the ECMAScript library alone
// (shared/tsconfig.json): no DOM, no Node. These few web-platform globals are the exception,
// because every runtime the core runs in has them (browsers, Node >= 17).

declare function structuredClone<T>(value: T): T;
declare function atob(data: string): string;
declare function btoa(data: string): string;
