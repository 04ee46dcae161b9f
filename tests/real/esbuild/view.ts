import type { Shape } from "./geometry";

enum Style { Plain, Fancy }

export function render(shapes: Shape[], areas: number[], style = Style.Fancy): string {
    const rows = shapes.map((s, i) => `${s.kind}=${areas[i].toFixed(2)}`);
    return style === Style.Fancy ? `[${rows.join(" | ")}]` : rows.join(",");
}
