module github.com/carrierkit/carrierkit

go 1.25
