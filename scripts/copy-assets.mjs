// Copies the front-end libraries from node_modules into wwwroot/lib, where the app serves them
// (UseStaticFiles over the root wwwroot). The copies are committed: the app never needs npm to run.
import { cpSync, mkdirSync } from "node:fs";

const copies = [
    // The ES module build: ApexChart.razor.js imports it, so nothing lands on window.
    ["node_modules/apexcharts/dist/apexcharts.esm.js", "wwwroot/lib/apexcharts/apexcharts.esm.js"],
    ["node_modules/apexcharts/LICENSE", "wwwroot/lib/apexcharts/LICENSE"],
    // Inter (variable weight), Latin subsets only: the UI is English.
    ["node_modules/@fontsource-variable/inter/files/inter-latin-wght-normal.woff2", "wwwroot/lib/inter/inter-latin-wght-normal.woff2"],
    ["node_modules/@fontsource-variable/inter/files/inter-latin-ext-wght-normal.woff2", "wwwroot/lib/inter/inter-latin-ext-wght-normal.woff2"],
    ["node_modules/@fontsource-variable/inter/LICENSE", "wwwroot/lib/inter/LICENSE"],
];

for (const [from, to] of copies) {
    mkdirSync(to.substring(0, to.lastIndexOf("/")), { recursive: true });
    cpSync(from, to);
    console.log(`${from} -> ${to}`);
}
