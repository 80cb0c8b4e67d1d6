// A click anywhere on a row of a grid marked .hd-row-links follows the row's main link
// (the <a data-row-link> in it): the link stays the keyboard and screen-reader path, the row is a
// bigger target for the mouse. Clicks on other links, buttons and inputs, and text selections, are left alone.
document.addEventListener("click", event => {
    if (event.defaultPrevented || event.button !== 0) {
        return;
    }

    const row = event.target.closest?.(".hd-row-links tbody tr");
    if (!row || event.target.closest("a, button, input, select, textarea, label, [role=button]")) {
        return;
    }

    if (window.getSelection()?.toString()) {
        return;
    }

    const link = row.querySelector("a[data-row-link]");
    if (!link) {
        return;
    }

    if (event.ctrlKey || event.metaKey) {
        window.open(link.href, "_blank", "noopener");
    } else {
        link.click();
    }
});
