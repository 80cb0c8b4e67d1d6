// Browser helpers of the scoring model pages: download an export, remember the editor's name.
const nameKey = "hd.model.editorName";

/** Offers text as a file download. */
export function downloadText(fileName, text) {
    const url = URL.createObjectURL(new Blob([text], { type: "application/json" }));
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
