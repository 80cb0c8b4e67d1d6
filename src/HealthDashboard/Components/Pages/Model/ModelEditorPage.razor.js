// Browser helpers of the scoring model pages: download an export, remember the editor's name, and keep the
// unsaved draft in localStorage (one key per model version it was edited from), so a reload or a server
// restart does not lose it.
const nameKey = "hd.model.editorName";
const draftPrefix = "hd.model.draft.v";

/** Offers text as a file download. */
export function downloadText(fileName, text, type) {
    const url = URL.createObjectURL(new Blob([text], { type: type || "application/json" }));
    const link = document.createElement("a");
    link.href = url;
    link.download = fileName;
    document.body.appendChild(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** The name saves were last made under in this browser, or null. */
export function loadName() {
    try {
        return localStorage.getItem(nameKey);
    } catch {
        return null;
    }
}

/** Remembers the name saves are made under. */
export function saveName(name) {
    try {
        localStorage.setItem(nameKey, name);
    } catch {
        // Storage disabled: the name is simply asked again next time.
    }
}

function draftKeys() {
    const keys = [];
    for (let i = 0; i < localStorage.length; i++) {
        const key = localStorage.key(i);
        if (key && key.startsWith(draftPrefix)) {
            keys.push(key);
        }
    }
    return keys;
}

/** The kept draft, { baseVersion, model } (model as JSON text), or null; the newest base wins if several are kept. */
export function loadDraft() {
    try {
        let best = null;
        for (const key of draftKeys()) {
            const version = Number.parseInt(key.substring(draftPrefix.length), 10);
            if (Number.isInteger(version) && (best === null || version > best.baseVersion)) {
                best = { baseVersion: version, model: localStorage.getItem(key) };
            }
        }
        return best;
    } catch {
        return null;
    }
}

/** Keeps the draft edited from a version (replacing any other kept draft), or forgets it when model is null. */
export function saveDraft(baseVersion, model) {
    try {
        for (const key of draftKeys()) {
            localStorage.removeItem(key);
        }
        if (model !== null) {
            localStorage.setItem(draftPrefix + baseVersion, model);
        }
    } catch {
        // Storage full or disabled: the draft still lives in the session until the tab closes.
    }
}

/** Marks the editor once the browser asks before a reload or close (guarded) or no longer does: data-leave-guarded. */
export function markLeaveGuarded(guarded) {
    document.querySelector(".me-page")?.setAttribute("data-leave-guarded", guarded ? "true" : "false");
}
