export type Shape = { kind: "circle"; r: number } | { kind: "rect"; w: number; h: number };

export function area(s: Shape): number {
    switch (s.kind) {
    case "circle": return Math.PI * s.r * s.r;
    case "rect": return s.w * s.h;
    }
}

export const mean = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;

export function unused(): string {
    return "tree-shaken away";
}
