from django.urls import path

from coopcare.timecredits import views

app_name = "timecredits"
urlpatterns = [
    path("time-credits/", views.mine, name="mine"),
    path("time-credits/board/", views.board, name="board"),
    path("time-credits/exchanges/<int:exchange_id>/", views.exchange, name="exchange"),
    path("time-credits/balances/", views.balances, name="balances"),
    path("time-credits/entries/<int:credit_id>/reversal/", views.reversal, name="reversal"),
]
