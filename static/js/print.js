// A 打印 button for the printable paper and report (hidden without scripts,
// where the browser's own print command does the same).
const button = document.getElementById("print-report");
if (button) {
  button.hidden = false;
  button.addEventListener("click", (event) => {
    event.preventDefault();
    window.print();
  });
}

// Print every question's answer beside its model answer, not only the ones left open.
window.addEventListener("beforeprint", () => {
  for (const details of document.querySelectorAll("details.paper-compare")) details.open = true;
});
