// Copies text the console shows once (a webhook secret) to the clipboard; false when the browser refuses.
export async function copyText(text) {
    try {
        await navigator.clipboard.writeText(text);
        return true;
    } catch {
        return false;
    }
}
