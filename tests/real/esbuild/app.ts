// Input for tests/real/run_real.sh: esbuild bundles, type-strips and minifies it.
import { mean, Shape, area } from "./geometry";
import { render } from "./view";

const shapes: Shape[] = [
    { kind: "circle", r: 2 },
    { kind: "rect", w: 3, h: 4 },
    { kind: "circle", r: 0.5 },
];
const areas = shapes.map(area);
console.log(render(shapes, areas), "mean area", mean(areas).toFixed(3));
