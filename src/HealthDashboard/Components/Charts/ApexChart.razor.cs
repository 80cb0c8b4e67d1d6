using HealthDashboard.Theme;
using Microsoft.AspNetCore.Components;
using Microsoft.JSInterop;

namespace HealthDashboard.Components.Charts;

/// <summary>
/// Draws one ApexCharts chart from typed <see cref="ApexChartOptions"/> (modelled on the Aspire dashboard's
/// chart controls): the JS module is imported when the component starts in the circuit, <c>create</c> draws the chart,
/// <c>update</c> redraws it when the options (or the theme) change, and <c>destroy</c> removes it when
/// the component goes away. A lost circuit during any of these is ignored.
/// </summary>
public sealed partial class ApexChart : IAsyncDisposable
{
    /// <summary>Path of the collocated JS module, relative to the base href.</summary>
    public const string ModulePath = "./Components/Charts/ApexChart.razor.js";

    private ElementReference element;
    private IJSObjectReference? module;
    private Task<IJSObjectReference?>? moduleLoad;
    private IJSObjectReference? chart;
    private DotNetObjectReference<ApexChart>? callbacks;
    private string json = "";
    private string? drawnJson;
    private bool drawing;
    private bool disposed;

    [Inject]
    private IJSRuntime JS { get; set; } = default!;

    /// <summary>What to draw.</summary>
    [Parameter, EditorRequired]
    public ApexChartOptions Options { get; set; } = default!;

    /// <summary>What the chart shows, for screen readers ("Average health over the last 90 days").</summary>
    [Parameter, EditorRequired]
    public string AriaLabel { get; set; } = "";

    /// <summary>Called with (series index, data point index) when a bar, slice or point is clicked.</summary>
    [Parameter]
    public EventCallback<ApexChartPoint> OnPointSelected { get; set; }

    /// <summary>Extra CSS classes on the wrapper.</summary>
    [Parameter]
    public string? Class { get; set; }

    /// <summary>The colour scheme from the layout; light when nothing is cascaded.</summary>
    [CascadingParameter]
    public ThemeState? Theme { get; set; }

    /// <summary>The JSON last given to the module (for tests and diagnostics).</summary>
    internal string Json => json;

    /// <inheritdoc />
    protected override void OnInitialized()
    {
        // In the circuit the module is asked for beside the first render, not after it: the chart is drawn one
        // round trip sooner (the render batch and the import travel together). Prerendering has no browser to ask.
        if (RendererInfo.IsInteractive)
        {
            moduleLoad = ImportModuleAsync();
        }
    }

    /// <inheritdoc />
    protected override void OnParametersSet()
    {
        ArgumentNullException.ThrowIfNull(Options);
        json = (Options with { DarkMode = Theme?.IsDarkMode ?? false }).ToJson();
    }

    /// <inheritdoc />
    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        // One draw at a time: renders that happen while create/update is awaited are caught by the loop.
        if (drawing || disposed)
        {
            return;
        }

        drawing = true;
        try
        {
            if (chart is null)
            {
                module ??= await (moduleLoad ??= ImportModuleAsync());
                if (module is null)
                {
                    return;
                }

                if (OnPointSelected.HasDelegate)
                {
                    callbacks = DotNetObjectReference.Create(this);
                }

                drawnJson = json;
                chart = await module.InvokeAsync<IJSObjectReference>("create", element, json, callbacks);
            }

            while (!disposed && drawnJson != json)
            {
                drawnJson = json;
                await module!.InvokeVoidAsync("update", chart, json, callbacks);
            }
        }
        catch (JSDisconnectedException)
        {
            // The browser is gone; there is nothing left to draw into.
        }
        finally
        {
            drawing = false;
        }

        if (disposed)
        {
            // Disposed while drawing: DisposeAsync found no chart yet, so clean up here.
            await ReleaseAsync();
        }
    }

    /// <summary>The chart module, or null when the browser went away first (never throws, as no one may await it).</summary>
    private async Task<IJSObjectReference?> ImportModuleAsync()
    {
        try
        {
            return await JS.InvokeAsync<IJSObjectReference>("import", ModulePath);
        }
        catch (JSDisconnectedException)
        {
            return null;
        }
    }

    /// <summary>Called by the JS module when a data point is clicked.</summary>
    [JSInvokable]
    public Task OnDataPointSelected(int seriesIndex, int dataPointIndex) =>
        OnPointSelected.InvokeAsync(new ApexChartPoint(seriesIndex, dataPointIndex));

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        disposed = true;
        if (!drawing)
        {
            await ReleaseAsync();
        }
    }

    private async Task ReleaseAsync()
    {
        try
        {
            // Gone before its first draw: the module may still be on its way.
            module ??= moduleLoad is null ? null : await moduleLoad;
            if (chart is not null && module is not null)
            {
                await module.InvokeVoidAsync("destroy", chart);
            }

            if (chart is not null)
            {
                await chart.DisposeAsync();
            }

            if (module is not null)
            {
                await module.DisposeAsync();
            }
        }
        catch (JSDisconnectedException)
        {
            // The circuit is gone and the browser dropped the chart with the page.
        }
        finally
        {
            chart = null;
            module = null;
            callbacks?.Dispose();
            callbacks = null;
        }
    }
}

/// <summary>A clicked data point: which series, and which point (category or slice) in it.</summary>
public readonly record struct ApexChartPoint(int SeriesIndex, int DataPointIndex);
