# Installs Incubator Registry for this Windows user (no administrator needed): the program into
# %LOCALAPPDATA%\Programs\IncubatorRegistry and a Start-menu entry with its icon; -Desktop adds
# a desktop shortcut, -AddToPath puts the `incubator` command on this user's PATH (for
# terminals opened after the next sign-in). Run from the unpacked archive (a double click on
# install.cmd does the same):
#   powershell -NoProfile -ExecutionPolicy Bypass -File install.ps1 [-Desktop] [-AddToPath]
#   powershell -NoProfile -ExecutionPolicy Bypass -File install.ps1 -Uninstall
# The registry and its backups live in the user's data folder and are never touched here.
param([switch]$Uninstall, [switch]$Desktop, [switch]$AddToPath)
$ErrorActionPreference = "Stop"

$here = $PSScriptRoot
$target = Join-Path $env:LOCALAPPDATA "Programs\IncubatorRegistry"
$title = "Incubator Registry 社会组织孵化登记系统"
$menuLink = Join-Path $env:APPDATA "Microsoft\Windows\Start Menu\Programs\$title.lnk"
$desktopLink = Join-Path ([Environment]::GetFolderPath("Desktop")) "$title.lnk"
$shell = New-Object -ComObject WScript.Shell

function Set-UserPath([bool]$present) {
    # Read and written as the registry keeps it (unexpanded, REG_EXPAND_SZ): other entries'
    # %VARIABLES% stay as they were.
    $key = [Microsoft.Win32.Registry]::CurrentUser.OpenSubKey("Environment", $true)
    $old = [string]$key.GetValue("Path", "", "DoNotExpandEnvironmentNames")
    $paths = @($old -split ";" | Where-Object { $_ -and ($_ -ne $target) })
    if ($present) { $paths += $target }
    $new = $paths -join ";"
    if ($new -ne $old) { $key.SetValue("Path", $new, "ExpandString") }
    $key.Close()
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
    Set-UserPath $false
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
if ($AddToPath) { Set-UserPath $true }
Write-Output "Incubator Registry installed in $target, with an entry in the Start menu."
