
app_name = "scanning"
urlpatterns: list = []
