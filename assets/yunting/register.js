// Registration: once a code has been sent to the number, the number is no longer marked wrong.
document.addEventListener("htmx:afterSettle", function () {
  if (!document.querySelector("#code-status [data-testid=code-sent]")) return;
  const phone = document.getElementById("id_phone");
  if (phone) phone.classList.remove("is-invalid");
});
