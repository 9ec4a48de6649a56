// A date picker with a bug: it expects a pre-selected day that the page does
// not render, so opening it throws a TypeError from this file.
window.DatePicker = {
  open: function (root) {
    return openCalendar(root);
  },
};

function openCalendar(root) {
  var selected = root.querySelector(".selected");
  var start = new Date(selected.dataset.date);
  root.setAttribute("data-month", String(start.getMonth()));
  return start;
}
