// The one bridge between Blazor and ApexCharts. ApexChart.razor.cs calls create / update / destroy with
// the JSON of a ApexChartOptions record; this module turns that plain data into ApexCharts options and owns
// the product's chart look. No eval, no formatter strings: formatters are built here from typed fields.
// The library is the ES module build shipped in wwwroot/lib (relative to this module, so it works under
// any base path and nothing is put on window).
import ApexCharts from "../../lib/apexcharts/apexcharts.esm.js";

const fontFamily = '"Inter Variable", Inter, system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';

// A page's charts are drawn when they come near the viewport, not all at once when the page opens: drawing one
// costs tens of ms of the browser's main thread (more on a busy machine), and the charts below the fold would
// otherwise hold up the ones the user is looking at (bench part 18: the Portfolio page drew four before showing one).
const nearViewport = "300px";

/**
 * Draws a chart into element (at once when it is near the viewport, else when it scrolls near); returns a handle
 * for update/destroy. dotNet (optional) hears point clicks.
 */
export async function create(element, json, dotNet) {
    const handle = { element, json, dotNet, chart: null, observer: null, destroyed: false };
    if (isNearViewport(element)) {
        await draw(handle);
        return handle;
    }

    handle.observer = new IntersectionObserver(entries => {
        if (entries.some(e => e.isIntersecting)) {
            handle.observer.disconnect();
            handle.observer = null;
            draw(handle);
        }
    }, { rootMargin: nearViewport });
    handle.observer.observe(element);
    return handle;
}

/** Redraws a chart with new options (data, colours, theme); a chart not drawn yet just keeps them for its draw. */
export async function update(handle, json, dotNet) {
    if (!handle || handle.destroyed) return;
    handle.json = json;
    handle.dotNet = dotNet;
    if (handle.chart) {
        await handle.chart.updateOptions(withoutUndefined(toApexOptions(JSON.parse(json), dotNet)), true, true);
    }
}

/** Removes a chart and its listeners. */
export function destroy(handle) {
    if (!handle) return;
    handle.destroyed = true;
    handle.observer?.disconnect();
    handle.chart?.destroy();
    handle.chart = null;
}

// Charts are drawn one at a time, in the order they were asked for, each after the previous one was painted: a page's
// first chart (the top one) shows before the next is drawn, instead of all of them showing together after the last
// draw's tens of ms, and clicks and timers get the main thread between draws. The first draw waits for nothing.
let drawn = Promise.resolve();

function draw(handle) {
    const turn = drawn.then(() => drawNow(handle));
    drawn = turn.catch(() => { }).then(afterNextPaint);
    return turn;
}

// An animation frame's callbacks run before that frame is painted; a task queued from one runs after it. (A hidden
// tab gets no frames: its later charts are drawn when it is shown.)
function afterNextPaint() {
    return new Promise(resolve => requestAnimationFrame(() => setTimeout(resolve, 0)));
}

async function drawNow(handle) {
    if (handle.destroyed) return;
    const options = withoutUndefined(toApexOptions(JSON.parse(handle.json), handle.dotNet));
    // The first draw is not animated: the chart is there at once, and the draw-in animation's frames cost the
    // browser more than the draw itself. Updates bring the options' own setting back (update passes them whole).
    options.chart.animations.enabled = false;
    handle.chart = new ApexCharts(handle.element, options);
    const start = performance.now();
    await handle.chart.render();
    performance.measure("hd-chart-draw", { start, end: performance.now() });
}

function isNearViewport(element) {
    const box = element.getBoundingClientRect();
    const margin = parseInt(nearViewport, 10);
    return box.bottom >= -margin && box.top <= window.innerHeight + margin
        && box.right >= -margin && box.left <= window.innerWidth + margin;
}

// ApexCharts merges our options over its defaults; a key present with the value undefined would
// wipe a default (e.g. a label formatter), so unset keys are dropped instead.
function withoutUndefined(value) {
    if (Array.isArray(value)) return value.map(withoutUndefined);
    if (value === null || typeof value !== "object") return value;
    const result = {};
    for (const [key, item] of Object.entries(value)) {
        if (item !== undefined) result[key] = withoutUndefined(item);
    }
    return result;
}

function formatter(options, digits) {
    const prefix = options.valuePrefix ?? "";
    const suffix = options.valueSuffix ?? "";
    const number = new Intl.NumberFormat("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });
    return value => value === null || value === undefined || Number.isNaN(value)
        ? "—"
        : prefix + number.format(value) + suffix;
}

function toApexOptions(o, dotNet) {
    const dark = !!o.darkMode;
    const muted = dark ? "#94a3b8" : "#64748b";
    const gridLine = dark ? "#232c3f" : "#eef1f6";
    const surface = dark ? "#131a2a" : "#ffffff";
    const isDonut = o.kind === "donut";
    const format = formatter(o, o.decimals ?? 0);
    const formatAxis = formatter(o, o.axisDecimals ?? o.decimals ?? 0);
    const series = o.series ?? [];

    const events = {};
    if (dotNet) {
        events.dataPointSelection = (_event, _context, config) => {
            dotNet.invokeMethodAsync("OnDataPointSelected", config.seriesIndex, config.dataPointIndex);
        };
    }

    const options = {
        chart: {
            type: o.kind,
            height: o.height,
            stacked: !!o.stacked,
            fontFamily,
            foreColor: muted,
            background: "transparent",
            parentHeightOffset: 0,
            toolbar: { show: false },
            zoom: { enabled: false },
            sparkline: { enabled: !!o.sparkline },
            animations: { enabled: o.animate !== false, speed: 350, dynamicAnimation: { speed: 300 } },
            events,
        },
        theme: { mode: dark ? "dark" : "light" },
        colors: o.colors,
        series: isDonut
            ? (series[0]?.data ?? []).map(v => v ?? 0)
            : series.map(s => ({ name: s.name, data: s.data })),
        dataLabels: { enabled: !!o.dataLabels, formatter: isDonut ? undefined : format },
        legend: {
            show: o.showLegend !== false && !o.sparkline,
            position: o.legendPosition ?? "top",
            horizontalAlign: o.legendPosition === "right" ? "center" : "left",
            fontSize: "12px",
            fontWeight: 500,
            labels: { colors: muted },
            markers: { size: 5, strokeWidth: 0, offsetX: -2 },
            itemMargin: { horizontal: 10, vertical: 2 },
        },
        tooltip: {
            enabled: !o.sparkline,
            theme: dark ? "dark" : "light",
            style: { fontFamily, fontSize: "12px" },
            x: { format: "d MMM yyyy" },
            y: { formatter: format },
            marker: { show: true },
        },
        states: {
            hover: { filter: { type: "lighten", value: 0.04 } },
            active: { filter: { type: "none" } },
        },
    };

    if (isDonut) {
        options.labels = o.categories ?? [];
        options.stroke = { width: 2, colors: [surface] };
        options.plotOptions = {
            pie: {
                expandOnClick: false,
                donut: {
                    size: "72%",
                    labels: {
                        show: !!o.totalLabel,
                        name: { fontSize: "12px", color: muted, offsetY: 18 },
                        value: { fontSize: "26px", fontWeight: 700, color: dark ? "#e5e7eb" : "#0f172a", offsetY: -14, formatter: v => format(Number(v)) },
                        total: {
                            show: !!o.totalLabel,
                            showAlways: true,
                            label: o.totalLabel ?? "",
                            fontSize: "12px",
                            color: muted,
                            formatter: w => format(w.globals.seriesTotals.reduce((a, b) => a + b, 0)),
                        },
                    },
                },
            },
        };
        return options;
    }

    options.xaxis = {
        type: o.dateCategories ? "datetime" : "category",
        categories: o.categories ?? [],
        tickAmount: o.xTickAmount,
        axisBorder: { show: false },
        axisTicks: { show: false },
        crosshairs: { stroke: { color: gridLine } },
        tooltip: { enabled: false },
        labels: {
            datetimeUTC: true,
            rotate: 0,
            hideOverlappingLabels: true,
            trim: true,
            style: { fontSize: "11px" },
            datetimeFormatter: { year: "yyyy", month: "MMM", day: "d MMM" },
            formatter: o.horizontal ? formatAxis : undefined,
        },
        title: o.xAxisTitle ? { text: o.xAxisTitle, style: { fontSize: "11px", fontWeight: 500, color: muted } } : undefined,
    };
    options.yaxis = {
        min: o.yMin,
        max: o.yMax,
        tickAmount: o.yTickAmount,
        forceNiceScale: o.yMin === undefined && o.yMax === undefined,
        labels: { formatter: o.horizontal ? undefined : formatAxis, style: { fontSize: "11px" } },
        title: o.yAxisTitle ? { text: o.yAxisTitle, style: { fontSize: "11px", fontWeight: 500, color: muted } } : undefined,
    };
    options.grid = {
        show: !o.sparkline,
        borderColor: gridLine,
        strokeDashArray: 4,
        xaxis: { lines: { show: !!o.horizontal } },
        yaxis: { lines: { show: !o.horizontal } },
        padding: o.sparkline ? { top: 2, bottom: 2, left: 1, right: 1 } : { left: 8, right: 8 },
    };
    options.stroke = o.kind === "bar"
        ? { width: 0 }
        : { curve: "smooth", width: o.sparkline ? 1.75 : (o.kind === "area" && o.stacked ? 1.5 : 2.5), lineCap: "round" };
    // The hover marker is drawn in advance at the plot's corner; its outline takes the card colour so it never shows as a dot.
    options.markers = { size: 0, strokeColors: surface, hover: { size: o.sparkline ? 0 : 4 } };
    options.fill = o.kind === "area"
        ? (o.stacked
            ? { type: "solid", opacity: 0.9 }
            : { type: "gradient", gradient: { shadeIntensity: 0, opacityFrom: 0.28, opacityTo: 0.02, stops: [0, 95] } })
        : { type: "solid", opacity: 1 };
    options.plotOptions = {
        bar: {
            horizontal: !!o.horizontal,
            distributed: !!o.distributed,
            borderRadius: 4,
            borderRadiusApplication: "end",
            borderRadiusWhenStacked: "last",
            columnWidth: "62%",
            barHeight: "62%",
        },
    };
    options.annotations = {
        yaxis: (o.thresholds ?? []).map(t => ({
            y: t.value,
            borderColor: t.color,
            strokeDashArray: 5,
            opacity: 0.9,
            label: {
                text: t.label,
                position: "left",
                textAnchor: "start",
                offsetX: 6,
                offsetY: -2,
                borderWidth: 0,
                style: { color: t.color, background: "transparent", fontSize: "11px", fontWeight: 600, fontFamily },
            },
        })),
        xaxis: (o.markers ?? []).map(m => ({
            x: Date.parse(m.date + "T00:00:00Z"),
            borderColor: m.color,
            strokeDashArray: 3,
            opacity: 0.8,
            label: {
                text: m.label,
                orientation: "horizontal",
                position: "top",
                borderWidth: 0,
                style: { color: m.color, background: "transparent", fontSize: "11px", fontWeight: 600, fontFamily },
            },
        })),
    };
    return options;
}
