// The outcome report's Print button (the page itself needs no JavaScript to print).
const button = document.getElementById("print-report");
if (button) button.addEventListener("click", () => window.print());
