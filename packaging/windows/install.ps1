# Installs Incubator Registry for this Windows user (no administrator needed): the program into
# %LOCALAPPDATA%\Programs\IncubatorRegistry and a Start-menu entry with its icon; -Desktop adds
# a desktop shortcut, -AddToPath puts the `incubator` command on this user's PATH (for
# terminals opened after the next sign-in). -AllUsers, as an administrator, installs it for
# every user of the computer instead: %ProgramFiles%\IncubatorRegistry, the Start menu and
# desktop of all users, the system's PATH. Run from the unpacked archive (a double click on
# install.cmd installs it for this user):
#   powershell -NoProfile -ExecutionPolicy Bypass -File install.ps1 [-AllUsers] [-Desktop] [-AddToPath]
#   powershell -NoProfile -ExecutionPolicy Bypass -File install.ps1 [-AllUsers] -Uninstall
# The registry and its backups live in each user's data folder and are never touched here.
param([switch]$Uninstall, [switch]$Desktop, [switch]$AddToPath, [switch]$AllUsers)
$ErrorActionPreference = "Stop"

$here = $PSScriptRoot
$title = "Incubator Registry 社会组织孵化登记系统"
if ($AllUsers) {
    $principal = New-Object Security.Principal.WindowsPrincipal(
        [Security.Principal.WindowsIdentity]::GetCurrent())
    if (-not $principal.IsInRole([Security.Principal.WindowsBuiltInRole]::Administrator)) {
        Write-Output "-AllUsers installs for every user: run PowerShell as an administrator."
        exit 1
    }
    $target = Join-Path $env:ProgramFiles "IncubatorRegistry"
    $menuLink = Join-Path $env:ProgramData "Microsoft\Windows\Start Menu\Programs\$title.lnk"
    $desktopLink = Join-Path ([Environment]::GetFolderPath("CommonDesktopDirectory")) "$title.lnk"
    $environment = [Microsoft.Win32.Registry]::LocalMachine.OpenSubKey(
        "SYSTEM\CurrentControlSet\Control\Session Manager\Environment", $true)
} else {
    $target = Join-Path $env:LOCALAPPDATA "Programs\IncubatorRegistry"
    $menuLink = Join-Path $env:APPDATA "Microsoft\Windows\Start Menu\Programs\$title.lnk"
    $desktopLink = Join-Path ([Environment]::GetFolderPath("Desktop")) "$title.lnk"
    $environment = [Microsoft.Win32.Registry]::CurrentUser.OpenSubKey("Environment", $true)
}
$shell = New-Object -ComObject WScript.Shell

function Set-Path([bool]$present) {
    # The user's PATH (the system's with -AllUsers), read and written as the registry keeps it
    # (unexpanded, REG_EXPAND_SZ): other entries' %VARIABLES% stay as they were.
    $old = [string]$environment.GetValue("Path", "", "DoNotExpandEnvironmentNames")
    $paths = @($old -split ";" | Where-Object { $_ -and ($_ -ne $target) })
    if ($present) { $paths += $target }
    $new = $paths -join ";"
    if ($new -ne $old) { $environment.SetValue("Path", $new, "ExpandString") }
}

function Remove-OurLink([string]$link) {
    # Only a shortcut to this installation (another user's copy or a test's is left alone).
    if ((Test-Path $link) -and $shell.CreateShortcut($link).TargetPath.StartsWith($target)) {
        Remove-Item -Force $link
    }
}

if ($Uninstall) {
    Remove-OurLink $menuLink
    Remove-OurLink $desktopLink
    Set-Path $false
    Remove-Item -Recurse -Force -ErrorAction SilentlyContinue $target
    Write-Output "Incubator Registry removed (your registry and its backups are kept)."
    exit 0
}

# A new version replaces the old one whole (the registry is elsewhere: upgraded at start).
$staging = "$target.new"
Remove-Item -Recurse -Force -ErrorAction SilentlyContinue $staging
New-Item -ItemType Directory -Force -Path (Split-Path $target) | Out-Null
Copy-Item -Recurse -Path $here -Destination $staging
Remove-Item -Recurse -Force -ErrorAction SilentlyContinue $target
Move-Item $staging $target

# The window's program (no console window); its icon is inside it.
$window = Join-Path $target "IncubatorRegistry.exe"
$links = if ($Desktop) { @($menuLink, $desktopLink) } else { @($menuLink) }
foreach ($link in $links) {
    New-Item -ItemType Directory -Force -Path (Split-Path $link) | Out-Null
    $shortcut = $shell.CreateShortcut($link)
    $shortcut.TargetPath = $window
    $shortcut.WorkingDirectory = $target
    $shortcut.IconLocation = "$window,0"
    $shortcut.Description = "Organizations in incubation, the support they receive, and their reports"
    $shortcut.Save()
}
if ($AddToPath) { Set-Path $true }
$who = if ($AllUsers) { "every user's" } else { "the" }
Write-Output "Incubator Registry installed in $target, with an entry in $who Start menu."
