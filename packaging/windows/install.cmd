@echo off
rem A double click installs Incubator Registry for this user (see install.ps1).
powershell -NoProfile -ExecutionPolicy Bypass -File "%~dp0install.ps1" %*
pause
